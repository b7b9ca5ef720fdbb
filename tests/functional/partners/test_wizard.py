"""Pilot: the new-partner wizard — autofill from the offline registry, a wrong check digit,
a duplicate INN linked to the new partner, Ctrl+B going back without losing input, Esc
leaving after one question."""

from __future__ import annotations

from typing import Any

from crm_tui.app import CrmApp
from crm_tui.screens.partners.card import PartnerCardScreen
from crm_tui.screens.partners.list import PartnersScreen
from crm_tui.screens.partners.wizard import PartnerWizardScreen
from crm_tui.store.database import Database
from crm_tui.store.repo_partners_read import counterparties_by_inn, get_partner
from crm_tui.store.search_partners import search_partners
from tests.functional.partners.conftest import wait_db
from tests.support.screen import wait_until


async def _open_wizard(app: CrmApp, pilot: Any) -> PartnerWizardScreen:
    await wait_db(app, pilot)
    await pilot.press("1")
    await wait_until(pilot, lambda: isinstance(app.screen, PartnersScreen))
    await pilot.press("ctrl+n")
    await wait_until(pilot, lambda: isinstance(app.screen, PartnerWizardScreen))
    wizard = app.screen
    assert isinstance(wizard, PartnerWizardScreen)
    await pilot.pause()
    return wizard


async def _type(pilot: Any, text: str) -> None:
    for char in text:
        await pilot.press(char)


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def test_valid_inn_with_offline_autofill(partners_db: str, fixed_now: object) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        wizard = await _open_wizard(app, pilot)
        await pilot.press("ctrl+n")  # organisation
        assert wizard.step == 2
        await _type(pilot, "7736207543")
        await pilot.press("ctrl+n")
        assert wizard.step == 3
        await wait_until(pilot, lambda: wizard.value("legal-short_name") == "ООО Яндекс")
        assert wizard.value("legal-ogrn") == "1027700229193"
        assert wizard.value("wizard-kpp") == "770401001"
        assert "Found" in _text(wizard, "#autofill-status")
        await pilot.press("ctrl+n")
        assert wizard.step == 4
        await wait_until(pilot, lambda: "No duplicates" in _text(wizard, "#dup-status"))
        await pilot.press("ctrl+n")
        assert wizard.step == 5
        assert wizard.value("wizard-name") == "ООО Яндекс"
        await pilot.press("ctrl+b")  # back to duplicates, then forward: nothing lost
        assert wizard.step == 4
        await pilot.press("ctrl+n")
        assert wizard.value("wizard-name") == "ООО Яндекс"
        await pilot.press("ctrl+n")
        assert wizard.step == 6
        await _type(pilot, "Anna")
        await pilot.press("tab", "tab")
        await _type(pilot, "+7 916 000-11-22")
        await pilot.press("ctrl+a")
        assert len(wizard.contacts) == 1 and wizard.contacts[0].phones == ("+79160001122",)
        await pilot.press("ctrl+n")
        assert wizard.step == 7
        assert "ООО Яндекс" in _text(wizard, "#wizard-summary")
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerCardScreen))
        key = app.screen.partner_key  # type: ignore[attr-defined]
    database = Database.open(partners_db)
    with database.read() as s:
        view = get_partner(s, key)
        assert view.name == "ООО Яндекс"
        assert [c.inn for c in view.counterparties] == ["7736207543"]
        assert view.counterparties[0].full_name.startswith("Общество")
        assert [c.name for c in view.contacts] == ["Anna"]
        assert [h.key for h in search_partners(s, "яндекс", 5)] == [key]
    database.close()


async def test_wrong_check_digit_blocks_next(partners_db: str, fixed_now: object) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        wizard = await _open_wizard(app, pilot)
        await pilot.press("ctrl+n")
        await _type(pilot, "7736207544")
        await pilot.pause()
        assert "check digit" in _text(wizard, "#wizard-inn-error")
        await pilot.press("ctrl+n")
        assert wizard.step == 2
        await pilot.press("backspace")
        await _type(pilot, "3")
        await pilot.pause()
        assert _text(wizard, "#wizard-inn-error").strip() == ""
        await pilot.press("ctrl+b")
        assert wizard.step == 1
        await pilot.press("ctrl+n")
        assert wizard.value("wizard-inn") == "7736207543"  # kept
        await pilot.press("escape")  # asks once, then leaves
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnersScreen))


async def test_duplicate_inn_links_existing(partners_db: str, fixed_now: object) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        wizard = await _open_wizard(app, pilot)
        await pilot.press("ctrl+n")
        await _type(pilot, "7707083893")
        await pilot.press("ctrl+n", "ctrl+n")
        assert wizard.step == 4
        await wait_until(pilot, lambda: "already exists" in _text(wizard, "#dup-status"))
        assert wizard.duplicates is not None
        assert [c.key for c in wizard.duplicates.same_inn] == ["C1"]
        await pilot.press("enter")  # link the existing legal entity
        await pilot.pause()
        assert wizard.link_key == "C1"
        await pilot.press("ctrl+n")
        wizard.query_one("#wizard-name").value = "Ромашка Юг"  # type: ignore[attr-defined]
        await pilot.press("ctrl+n", "ctrl+n")
        assert wizard.step == 7
        assert "C1" in _text(wizard, "#wizard-summary")
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerCardScreen))
        key = app.screen.partner_key  # type: ignore[attr-defined]
    database = Database.open(partners_db)
    with database.read() as s:
        cps = get_partner(s, key).counterparties
        assert [c.key for c in cps] == ["C1"]
        assert set(cps[0].partner_keys) == {"P1", key}
        assert len(counterparties_by_inn(s, "7707083893")) == 1  # no second copy
    database.close()


async def test_duplicate_open_existing_partner(partners_db: str, fixed_now: object) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        wizard = await _open_wizard(app, pilot)
        await pilot.press("ctrl+n")
        await _type(pilot, "7707083893")
        await pilot.press("ctrl+n", "ctrl+n")
        await wait_until(pilot, lambda: wizard.duplicates is not None)
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerCardScreen))
        assert app.screen.partner_key == "P1"  # type: ignore[attr-defined]
