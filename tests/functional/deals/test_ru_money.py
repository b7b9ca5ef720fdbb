"""Pilot: money in the deal form follows the Russian conventions (issue 22 §4)."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Input

from crm_tui.app import CrmApp
from crm_tui.screens.deals.form import DealFormScreen
from crm_tui.store.database import Database
from crm_tui.store.repo_deals_form import load_deal
from tests.functional.deals.conftest import open_deals
from tests.support.screen import wait_until

NBSP = "\u00a0"


async def test_russian_amount_shows_and_reads_1c_style(deals_url: str) -> None:
    app = CrmApp(deals_url, language="ru")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, DealFormScreen)
                         and app.screen.detail is not None)
        form = app.screen
        assert isinstance(form, DealFormScreen)
        amount = form.query_one("#amount", Input)
        await wait_until(pilot, lambda: amount.value != "")
        assert amount.value == f"1{NBSP}500{NBSP}000,00"
        amount.value = ""
        amount.focus()
        # Typed key by key as a manager types it: spaces between groups, a decimal comma.
        names = {" ": "space", ",": "comma"}
        await pilot.press(*(names.get(char, char) for char in "1 250 000,50"))
        await wait_until(pilot, lambda: amount.value == "1 250 000,50")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, DealFormScreen))
    database = Database.open(deals_url)
    try:
        with database.read() as session:
            assert load_deal(session, "D1").draft.amount == Decimal("1250000.50")
    finally:
        database.close()
