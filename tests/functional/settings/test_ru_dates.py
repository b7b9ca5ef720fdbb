"""Pilot: the agreement's date fields in Russian (issue 22 §4): 03.12.2026 shown, 31.12.2027
and 31.12.27 typed key by key (the field used to drop the dots), ISO still accepted."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input

from crm_tui.app import CrmApp
from crm_tui.screens.agreements.form import AgreementFormScreen
from crm_tui.store.database import Database
from crm_tui.store.repo_agreements import get_agreement
from crm_tui.widgets.virtual_list import VirtualList
from tests.functional.settings.conftest import open_app
from tests.support.screen import wait_until

KEY_NAMES = {".": "full_stop", "-": "minus"}


@pytest.mark.parametrize("typed", ["31.12.2027", "31.12.27", "2027-12-31"])
async def test_agreement_dates_in_russian(prepared_url: str, typed: str) -> None:
    app = CrmApp(prepared_url, language="ru")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        await pilot.press("6")
        listing = app.screen.query_one(VirtualList)
        await wait_until(pilot, lambda: listing.row_at(1) is not None)
        row = listing.row_at(1)
        assert row is not None and row.key == "T1"
        assert "01.01.2025 – …" in row.cells
        listing.focus()
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AgreementFormScreen)
                         and app.screen.loaded is not None)
        form = app.screen
        assert form.query_one("#valid_from", Input).value == "01.01.2025"
        valid_to = form.query_one("#valid_to", Input)
        valid_to.focus()
        await pilot.press(*(KEY_NAMES.get(char, char) for char in typed))
        await wait_until(pilot, lambda: valid_to.value == typed)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, AgreementFormScreen))
    database = Database.open(prepared_url)
    try:
        with database.read() as session:
            assert get_agreement(session, "T1").draft.valid_to == date(2027, 12, 31)
    finally:
        database.close()
