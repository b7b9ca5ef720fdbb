"""A read that comes back late never replaces a newer one: the interaction form's contacts."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual.widgets import OptionList, Select

from crm_tui.app import CrmApp
from crm_tui.screens.interactions.form import InteractionFormScreen
from crm_tui.store.database import Database
from crm_tui.widgets.partner_picker import PartnerPicker
from tests.support.screen import settle, wait_for_database, wait_until
from tests.unit.interactions.helpers import load


def contact_options(form: InteractionFormScreen) -> list[str]:
    """The contact list's choices, as its drop-down lists them (the first is the blank)."""
    options = form.query_one("#if-contact", Select).query_one(OptionList)
    return [str(options.get_option_at_index(index).prompt)
            for index in range(1, options.option_count)]


async def test_the_contacts_of_an_earlier_partner_never_replace_the_chosen_ones(
        db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """P1's contacts are read first and slowly; P2 is chosen meanwhile: when P1's contacts
    come back at last, the list still holds P2's."""
    load(db, {"type": "contact", "id": "K2", "partner": "P2", "name": "Boris Contact"})
    from crm_tui.store import repo_interactions_lists as lists

    real = lists.contacts_of
    started, release, returned = threading.Event(), threading.Event(), threading.Event()

    def slow_for_p1(session: Any, partner_key: str) -> Any:
        if partner_key != "P1":
            return real(session, partner_key)
        started.set()
        assert release.wait(30)
        try:
            return real(session, partner_key)
        finally:
            returned.set()

    monkeypatch.setattr(lists, "contacts_of", slow_for_p1)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_database(pilot)
        form = InteractionFormScreen()
        await app.push_screen(form)
        await settle(pilot)
        picker = form.query_one(PartnerPicker)
        picker.choose("P1", "Alpha Trade")
        await wait_until(pilot, started.is_set, what="P1's contacts being read")
        picker.choose("P2", "Second")
        await wait_until(pilot, lambda: contact_options(form) == ["Boris Contact"],
                         what="P2's contacts shown")
        release.set()
        await wait_until(pilot, returned.is_set, what="P1's contacts read")
        await settle(pilot)
        assert picker.partner_key == "P2"
        assert contact_options(form) == ["Boris Contact"]
