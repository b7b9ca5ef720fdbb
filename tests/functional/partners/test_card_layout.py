"""The partner card and wizard at 80×24 in Russian: labels whole, the four roles inside the
screen; the legal entities tab names only the other partners under "also linked to"."""

from __future__ import annotations

import json
from typing import Any

from textual.widgets import Checkbox, DataTable

from crm_tui.app import CrmApp
from crm_tui.exchange.importer import import_lines
from crm_tui.screens.partners.card import PartnerCardScreen
from crm_tui.screens.partners.wizard import PartnerWizardScreen
from crm_tui.store.database import Database
from tests.functional.partners.conftest import wait_db
from tests.support.screen import screen_text, settle, wait_until


async def _card(app: CrmApp, pilot: Any, key: str) -> PartnerCardScreen:
    await wait_db(app, pilot)
    app.push_screen(PartnerCardScreen(key))
    await wait_until(pilot, lambda: isinstance(app.screen, PartnerCardScreen)
                     and app.screen.view is not None, what="the card")
    await settle(pilot)
    card = app.screen
    assert isinstance(card, PartnerCardScreen)
    return card


async def test_card_labels_are_whole_at_80(partners_db: str, fixed_now: object) -> None:
    app = CrmApp(partners_db, language="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await _card(app, pilot, "P1")
        text = screen_text(app)
        for label in ("Наименование", "Бизнес-регион", "Менеджер", "Комментарий"):
            assert label in text, label
        for role in app.screen.query(Checkbox):
            assert role.region.right <= 80, role.id


async def test_wizard_roles_fit_80(partners_db: str, fixed_now: object) -> None:
    app = CrmApp(partners_db, language="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_db(app, pilot)
        app.push_screen(PartnerWizardScreen())
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerWizardScreen),
                         what="the wizard")
        wizard = app.screen
        assert isinstance(wizard, PartnerWizardScreen)
        await wait_until(pilot, lambda: bool(wizard.query("#wc-table")), what="the steps")
        await settle(pilot)
        wizard._go(5)  # the details step, with the roles
        await settle(pilot)
        await pilot.pause()
        assert "Прочее" in screen_text(app)
        other = wizard.query_one("#wizard-role-other", Checkbox)
        assert other.region.width and other.region.right <= 80


async def test_also_linked_to_names_only_other_partners(partners_db: str,
                                                         fixed_now: object) -> None:
    database = Database.open(partners_db)
    import_lines(database, [json.dumps(
        {"type": "counterparty", "id": "C2", "partners": ["P1", "P2"], "inn": "500100732259",
         "short_name": "ИП Общий", "full_name": "ИП Общий"}, ensure_ascii=False)])
    database.close()
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        card = await _card(app, pilot, "P1")
        table = card.query_one("#card-counterparties", DataTable)
        linked = {str(table.get_row(key)[0]): str(table.get_row(key)[4])
                  for key in table.rows}
        assert linked == {"7707083893": "", "500100732259": "P2"}
