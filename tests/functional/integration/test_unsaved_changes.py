"""Issue 20 §5: unsaved typing is never thrown away silently. Every form knows when it holds
unsaved changes; Esc, F2, switching section, opening another record over it and Ctrl+Q ask
"Save changes?" (Save / Discard / Cancel); a form with no changes closes at once. Checked on
the database."""

from __future__ import annotations

from typing import Any

import pytest

from crm_tui.app import CrmApp
from crm_tui.i18n import current_language, set_language
from crm_tui.widgets.unsaved import SaveChangesDialog
from tests.functional.integration.test_two_users_merge import (  # noqa: F401
    FORMS,
    SIZE,
    _open,
    _row,
    _stored,
    _type,
    _value,
    shared_url,
)
from tests.support.screen import settle, wait_until


async def _asked(pilot: Any) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SaveChangesDialog)
                     and bool(pilot.app.screen.query("#cancel")), what='"Save changes?"')


@pytest.mark.parametrize("kind", sorted(FORMS))
async def test_esc_asks_cancel_stays_discard_closes(shared_url: str, kind: str) -> None:  # noqa: F811
    form = FORMS[kind]
    first = form.fields[0]
    before = _row(shared_url, form)
    app = CrmApp(shared_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, form)
        assert not screen.has_unsaved_changes()
        _type(screen, first, _value(first, 0))
        assert screen.has_unsaved_changes()
        await pilot.press("escape")
        await _asked(pilot)
        await pilot.click("#cancel")
        await wait_until(pilot, lambda: app.screen is screen)
        assert _stored(screen.query_one(f"#{first}").value if hasattr(
            screen.query_one(f"#{first}"), "value") else screen.query_one(f"#{first}").text
        ) == _value(first, 0)  # the input stays
        await pilot.press("escape")
        await _asked(pilot)
        await pilot.click("#discard")
        await wait_until(pilot, lambda: screen not in app.screen_stack)
    assert _row(shared_url, form) == before  # nothing written


@pytest.mark.parametrize("kind", sorted(FORMS))
async def test_esc_save_saves_then_closes(shared_url: str, kind: str) -> None:  # noqa: F811
    form = FORMS[kind]
    first = form.fields[0]
    app = CrmApp(shared_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, form)
        _type(screen, first, _value(first, 0))
        await pilot.press("escape")
        await _asked(pilot)
        await pilot.click("#save")
        await wait_until(pilot, lambda: screen not in app.screen_stack)
    assert _stored(_row(shared_url, form)[form.columns[0]]) == _value(first, 0)


@pytest.mark.parametrize("kind", sorted(FORMS))
async def test_no_changes_close_at_once(shared_url: str, kind: str) -> None:  # noqa: F811
    form = FORMS[kind]
    app = CrmApp(shared_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, form)
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen not in app.screen_stack)
        assert not isinstance(app.screen, SaveChangesDialog)


async def test_f2_asks_and_save_keeps_the_edit(shared_url: str) -> None:  # noqa: F811
    form = FORMS["claim"]
    app = CrmApp(shared_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, form)
        _type(screen, "claim-description", "typed before F2")
        await pilot.press("f2")
        await _asked(pilot)
        await pilot.click("#cancel")  # no switch: the form and its input stay
        await wait_until(pilot, lambda: app.screen is screen)
        await pilot.pause()
        assert screen.query_one("#claim-description").text == "typed before F2"
        await pilot.press("f2")
        await _asked(pilot)
        await pilot.click("#save")
        await wait_until(pilot, lambda: _row(shared_url, form)["description"]
                         == "typed before F2")
        await wait_until(pilot, lambda: current_language() == "ru"
                         and app.screen is not screen
                         and not isinstance(app.screen, SaveChangesDialog))
        await settle(pilot)
    set_language("en")


async def test_ctrl_q_asks_and_cancel_keeps_running(shared_url: str) -> None:  # noqa: F811
    form = FORMS["deal"]
    app = CrmApp(shared_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, form)
        _type(screen, "notes", "typed before Ctrl+Q")
        await pilot.press("ctrl+q")
        await _asked(pilot)
        await pilot.click("#cancel")
        await wait_until(pilot, lambda: app.screen is screen)
        assert app.is_running
        await pilot.press("ctrl+q")
        await _asked(pilot)
        await pilot.click("#discard")
        await wait_until(pilot, lambda: not app.is_running)
    assert _row(shared_url, form)["notes"] != "typed before Ctrl+Q"


async def test_switching_section_asks(shared_url: str) -> None:  # noqa: F811
    form = FORMS["interaction"]
    app = CrmApp(shared_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, form)
        start_mode = app.current_mode
        _type(screen, "if-topic", "typed before switching")
        await app.action_section("deals")  # what the digit key and the palette run
        await _asked(pilot)
        await pilot.click("#cancel")
        await wait_until(pilot, lambda: app.screen is screen)
        assert app.current_mode == start_mode
        await app.action_section("deals")
        await _asked(pilot)
        await pilot.click("#discard")
        await wait_until(pilot, lambda: app.current_mode == "deals")
        assert screen not in app.get_screen_stack(start_mode)
    assert _row(shared_url, form)["topic"] != "typed before switching"


def _other(kind: str) -> tuple[str, str]:
    """A record to open over the form of `kind` (not the form's own record)."""
    return ("deal", "D000002") if kind == "partner" else ("partner", "P00002")


@pytest.mark.parametrize("kind", sorted(FORMS))
async def test_opening_another_record_over_a_form_asks(shared_url: str, kind: str) -> None:  # noqa: F811
    """Cancel opens nothing and keeps the input; Discard closes the form unsaved and opens
    the record (what the palette's "open by key" and the forms' own keys run)."""
    from crm_tui.screens.navigation import RECORDS, open_record

    form = FORMS[kind]
    first = form.fields[0]
    before = _row(shared_url, form)
    other_kind, other_key = _other(kind)
    other_class = RECORDS[other_kind].screen_class()
    app = CrmApp(shared_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, form)
        _type(screen, first, _value(first, 0))
        open_record(app, other_kind, other_key)
        await _asked(pilot)
        await pilot.click("#cancel")
        await wait_until(pilot, lambda: app.screen is screen)
        await settle(pilot)
        assert not any(isinstance(s, other_class) for s in app.screen_stack)
        assert screen.has_unsaved_changes()
        open_record(app, other_kind, other_key)
        await _asked(pilot)
        await pilot.click("#discard")
        await wait_until(pilot, lambda: isinstance(app.screen, other_class))
        assert screen not in app.screen_stack
    assert _row(shared_url, form) == before  # nothing written


@pytest.mark.parametrize("kind", sorted(FORMS))
async def test_opening_another_record_save_saves_then_opens(shared_url: str, kind: str) -> None:  # noqa: F811
    from crm_tui.screens.navigation import RECORDS, open_record

    form = FORMS[kind]
    first = form.fields[0]
    other_kind, other_key = _other(kind)
    other_class = RECORDS[other_kind].screen_class()
    app = CrmApp(shared_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, form)
        _type(screen, first, _value(first, 0))
        open_record(app, other_kind, other_key)
        await _asked(pilot)
        await pilot.click("#save")
        await wait_until(pilot, lambda: isinstance(app.screen, other_class),
                         what="the other record opened once saved")
        await settle(pilot)
    assert _stored(_row(shared_url, form)[form.columns[0]]) == _value(first, 0)


async def test_unchanged_form_opens_at_once(shared_url: str) -> None:  # noqa: F811
    from crm_tui.screens.navigation import RECORDS, open_record

    app = CrmApp(shared_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, FORMS["deal"])
        open_record(app, "partner", "P00002")
        card = RECORDS["partner"].screen_class()
        await wait_until(pilot, lambda: isinstance(app.screen, card)
                         and getattr(app.screen, "opened", None) is not None)
