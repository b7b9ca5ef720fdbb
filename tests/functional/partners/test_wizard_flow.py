"""Issue 22 §5, the new-partner wizard: Enter goes on, arrows choose, Esc asks once; the
duplicate checks run again on the summary over everything entered (contacts too); an
existing legal entity's INN and KPP are never registered twice by Next alone; a sole
trader never sees a KPP label without its field."""

from __future__ import annotations

from typing import Any

from textual.widgets import RadioSet

from crm_tui.app import CrmApp
from crm_tui.screens.partners.card import PartnerCardScreen
from crm_tui.screens.partners.card_confirm import ConfirmScreen
from crm_tui.screens.partners.list import PartnersScreen
from crm_tui.screens.partners.wizard import PartnerWizardScreen
from crm_tui.store.database import Database
from crm_tui.store.repo_partners_read import counterparties_by_inn, get_partner
from tests.functional.partners.conftest import wait_db
from tests.support.screen import screen_text, wait_until

SIZE = (120, 36)
SOLE_TRADER_INN = "500100732259"


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


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def test_arrows_choose_the_kind_and_enter_goes_on(partners_db: str) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=SIZE) as pilot:
        wizard = await _open_wizard(app, pilot)
        await pilot.press("down")
        await pilot.pause()
        assert wizard.query_one("#wizard-kind", RadioSet).pressed_index == 1
        assert wizard.kind == "sole_trader"
        await pilot.press("enter")
        await wait_until(pilot, lambda: wizard.step == 2, what="step 2 after Enter")
        assert wizard.kind == "sole_trader"


async def test_esc_asks_once_and_leaves(partners_db: str) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=SIZE) as pilot:
        wizard = await _open_wizard(app, pilot)
        await pilot.press("enter")
        await pilot.press(*"7736207543")
        await pilot.press("enter")
        await wait_until(pilot, lambda: wizard.step == 3)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="asked")
        await pilot.press("n")  # stay: nothing lost
        await wait_until(pilot, lambda: app.screen is wizard)
        assert wizard.step == 3 and wizard.value("wizard-inn") == "7736207543"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnersScreen),
                         what="left after one question")


async def test_sole_trader_never_sees_a_kpp_label_without_its_field(partners_db: str) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=SIZE) as pilot:
        wizard = await _open_wizard(app, pilot)
        wizard.query_one("#kind-sole_trader").value = True  # type: ignore[attr-defined]
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: wizard.step == 2)
        await pilot.pause()
        assert "KPP" not in screen_text(app)
        await pilot.press(*SOLE_TRADER_INN)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: wizard.step == 3)
        await pilot.pause()
        assert "KPP" not in screen_text(app)


async def test_same_inn_and_kpp_links_the_existing_entity_by_default(partners_db: str) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=SIZE) as pilot:
        wizard = await _open_wizard(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.press(*"7707083893", "tab", *"773601001")
        await pilot.press("ctrl+n", "ctrl+n")
        await wait_until(pilot, lambda: wizard.step == 4 and wizard.duplicates is not None)
        await pilot.press("ctrl+n")  # Next alone
        assert wizard.step == 5
        wizard.query_one("#wizard-name").value = "Ромашка Юг"  # type: ignore[attr-defined]
        await pilot.press("ctrl+n", "ctrl+n")
        await wait_until(pilot, lambda: wizard.step == 7)
        assert "C1" in _text(wizard, "#wizard-summary")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerCardScreen))
        key = app.screen.partner_key  # type: ignore[attr-defined]
    database = Database.open(partners_db)
    with database.read() as s:
        assert [c.key for c in get_partner(s, key).counterparties] == ["C1"]
        assert len(counterparties_by_inn(s, "7707083893")) == 1
    database.close()


async def test_a_separate_entity_needs_its_own_choice(partners_db: str) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=SIZE) as pilot:
        wizard = await _open_wizard(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.press(*"7707083893", "tab", *"773601001")
        await pilot.press("ctrl+n", "ctrl+n")
        await wait_until(pilot, lambda: wizard.step == 4 and wizard.duplicates is not None)
        assert "separate legal entity" in screen_text(app)
        await pilot.press("down", "enter")  # the last line: a separate one
        await wait_until(pilot, lambda: wizard.separate and wizard.link_key is None)
        await pilot.press("ctrl+n")
        wizard.query_one("#wizard-name").value = "Ромашка Юг"  # type: ignore[attr-defined]
        await pilot.press("ctrl+n", "ctrl+n")
        await wait_until(pilot, lambda: wizard.step == 7)
        assert "separate legal entity" in _text(wizard, "#wizard-summary")
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerCardScreen))
    database = Database.open(partners_db)
    with database.read() as s:
        assert len(counterparties_by_inn(s, "7707083893")) == 2
    database.close()


async def test_summary_checks_duplicates_again_with_the_contacts(partners_db: str) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=SIZE) as pilot:
        wizard = await _open_wizard(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.press(*"7736207543")
        await pilot.press("ctrl+n", "ctrl+n")
        await wait_until(pilot, lambda: wizard.step == 4 and wizard.duplicates is not None)
        assert wizard.duplicates is not None and not wizard.duplicates.similar
        await pilot.press("ctrl+n")
        wizard.query_one("#wizard-name").value = "Новая фирма"  # type: ignore[attr-defined]
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: wizard.step == 6)
        await pilot.press(*"Vera", "tab", "tab", *"+7 916 123-45-67", "ctrl+a")  # P2's phone
        await wait_until(pilot, lambda: len(wizard.contacts) == 1)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: wizard.step == 7)
        await wait_until(pilot, lambda: "P2" in _text(wizard, "#wizard-final-duplicates"),
                         what="P2 (same contact phone) found on the summary")
        assert "Possible duplicates" in _text(wizard, "#wizard-final-duplicates")
