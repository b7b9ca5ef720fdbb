"""A form for a new record holds what was typed as much as a saved record's form: Esc asks
"Save changes?" once anything was typed, and closes at once while the form is as it opened."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.screen import Screen

from crm_tui.app import CrmApp
from crm_tui.widgets.unsaved import SaveChangesDialog
from tests.functional.integration.test_two_users_merge import (  # noqa: F401
    SIZE,
    _type,
    shared_url,
)
from tests.support.screen import settle, wait_for_database, wait_until


def _deal() -> Screen[Any]:
    from crm_tui.screens.deals.form import DealFormScreen

    return DealFormScreen()


def _claim() -> Screen[Any]:
    from crm_tui.screens.claims.form import ClaimFormScreen

    return ClaimFormScreen()


def _agreement() -> Screen[Any]:
    from crm_tui.screens.agreements.form import AgreementFormScreen

    return AgreementFormScreen()


def _interaction() -> Screen[Any]:
    from crm_tui.screens.interactions.form import InteractionFormScreen

    return InteractionFormScreen()


# (make the form, the field typed into, when it is ready)
NEW_FORMS: dict[str, tuple[Callable[[], Screen[Any]], str, Callable[[Any], bool]]] = {
    "deal": (_deal, "name", lambda s: s.base is not None),
    "claim": (_claim, "claim-description", lambda s: s.base is not None and not s._loading),
    "agreement": (_agreement, "name", lambda s: s.loaded is not None),
    "interaction": (_interaction, "if-topic", lambda s: s._opened is not None),
}


async def _open_new(pilot: Any, kind: str) -> Any:
    make, _field, ready = NEW_FORMS[kind]
    await wait_for_database(pilot)
    await settle(pilot)
    screen = make()
    pilot.app.push_screen(screen)
    await wait_until(pilot, lambda: ready(screen), what="the new form ready")
    await settle(pilot)
    return screen


@pytest.mark.parametrize("kind", sorted(NEW_FORMS))
async def test_esc_on_a_new_form_with_typing_asks(shared_url: str, kind: str) -> None:  # noqa: F811
    app = CrmApp(shared_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_new(pilot, kind)
        assert not screen.has_unsaved_changes()
        _type(screen, NEW_FORMS[kind][1], "Typed and not saved")
        await pilot.pause()
        assert screen.has_unsaved_changes()
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveChangesDialog)
                         and bool(app.screen.query("#cancel")), what='"Save changes?"')
        await pilot.click("#cancel")
        await wait_until(pilot, lambda: app.screen is screen)


@pytest.mark.parametrize("kind", sorted(NEW_FORMS))
async def test_esc_on_an_untouched_new_form_closes(shared_url: str, kind: str) -> None:  # noqa: F811
    app = CrmApp(shared_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_new(pilot, kind)
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen not in app.screen_stack, what="closed")
