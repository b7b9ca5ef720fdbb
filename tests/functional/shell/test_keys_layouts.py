"""Issue 22 §3: letter keys answer in the Russian layout too, F1 shows both keys; section
(digit) keys never fire while typing or while a form holds unsaved input; dialogs show
their keys and F1 works in them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from textual.widgets import Input, Select

from crm_tui.app import CrmApp
from crm_tui.screens.deals.form import DealFormScreen
from crm_tui.screens.deals.loss_reason_dialog import LossReasonDialog
from crm_tui.screens.shell.help import HelpScreen
from crm_tui.store.database import Database
from crm_tui.widgets.key_bar import KeyBar
from crm_tui.widgets.unsaved import SaveChangesDialog
from tests.functional.deals.conftest import open_deals
from tests.support.login import set_login_for_tests
from tests.support.screen import screen_text, wait_until
from tests.unit.deals.data import seed


@pytest.fixture
def deals_url(db_url: str, fixed_now: datetime) -> str:
    database = Database.open(db_url)
    seed(database)
    database.close()
    set_login_for_tests("ivanov")
    return db_url


def bar_text(app: CrmApp) -> str:
    bar = app.screen.query_one(KeyBar)
    return "".join(segment.text for segment in bar.render_line(0))


async def test_russian_layout_letter_runs_the_binding(deals_url: str) -> None:
    app = CrmApp(deals_url, language="ru")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        await pilot.press("д")  # "l" (lose) in the same place of ЙЦУКЕН
        await wait_until(pilot, lambda: isinstance(app.screen, LossReasonDialog),
                         what="the lose dialog from the Russian key")


async def test_help_shows_both_keys(deals_url: str) -> None:
    app = CrmApp(deals_url, language="ru")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        keys = dict(app.screen_keys(app.screen))
        assert "w/ц" in keys and "l/д" in keys and "]/ъ" in keys, keys
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await wait_until(pilot, lambda: "w/ц" in screen_text(app), what="w/ц in help")
        # The key bar still shows each action once.
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen))
        assert " ц " not in bar_text(app)


async def _deal_form(app: CrmApp, pilot: Any) -> DealFormScreen:
    """The form of the deal highlighted on the board."""
    await open_deals(app, pilot)
    await pilot.press("o")
    await wait_until(pilot, lambda: isinstance(app.screen, DealFormScreen))
    form = app.screen
    assert isinstance(form, DealFormScreen)
    await wait_until(pilot, lambda: form.choices is not None and form.base is not None)
    await pilot.pause()
    return form


async def test_digits_never_switch_section_from_a_select(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        form = await _deal_form(app, pilot)
        select = form.query_one("#manager", Select)
        select.focus()
        await pilot.pause()
        for key in "1500":
            await pilot.press(key)
        await pilot.pause()
        assert app.current_mode == "deals" and app.screen is form
        # The same with the drop-down open.
        await pilot.press("enter")
        await wait_until(pilot, lambda: select.expanded and app.focused is not select,
                         what="the drop-down open")
        for key in "15":
            await pilot.press(key)
        await pilot.pause()
        assert app.current_mode == "deals" and app.screen is form


async def test_digits_never_switch_section_from_a_dirty_form(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        form = await _deal_form(app, pilot)
        name = form.query_one("#name", Input)
        opened_with = name.value
        await pilot.click("#name")
        await pilot.press("x")
        await wait_until(pilot, form.has_unsaved_changes, what="the form dirty")
        form.query_one("#add-contact").focus()  # a button: the digit is not typed anywhere
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert app.current_mode == "deals" and app.screen is form
        assert not isinstance(app.screen, SaveChangesDialog)
        # With nothing typed, the digit switches as before.
        name.value = opened_with
        await wait_until(pilot, lambda: not form.has_unsaved_changes())
        await pilot.press("1")
        await wait_until(pilot, lambda: app.current_mode == "partners",
                         what="the switch from a clean form")


async def test_dialog_shows_its_keys_and_f1_works_in_it(deals_url: str) -> None:
    app = CrmApp(deals_url, language="ru")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LossReasonDialog))
        dialog = app.screen
        await wait_until(pilot, lambda: bool(dialog.query(KeyBar)))
        await pilot.pause()
        text = bar_text(app)
        assert "⏎ Применить" in text, text
        assert "esc Отмена" in text, text
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen),
                         what="help over the dialog")
        await pilot.press("f1")
        await wait_until(pilot, lambda: app.screen is dialog, what="F1 closing help")


async def test_save_changes_dialog_shows_its_keys(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        form = await _deal_form(app, pilot)
        await pilot.click("#name")
        await pilot.press("x")
        await wait_until(pilot, form.has_unsaved_changes)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveChangesDialog))
        await pilot.pause()
        text = bar_text(app)
        assert "y Save" in text and "n Discard" in text and "esc Cancel" in text, text
        await pilot.press("т")  # "n" on ЙЦУКЕН: discard
        await wait_until(pilot, lambda: form not in app.screen_stack, what="discarded")
