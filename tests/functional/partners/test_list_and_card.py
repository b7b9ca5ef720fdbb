"""Pilot: the partner list (search, filters, keys) and the partner card."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from crm_tui.app import CrmApp
from crm_tui.screens.partners.card import PartnerCardScreen
from crm_tui.screens.partners.list import PartnersScreen
from crm_tui.store.database import Database
from crm_tui.store.repo_partners_read import get_partner
from crm_tui.store.search_partners import search_partners
from crm_tui.widgets.virtual_list import VirtualList
from tests.functional.partners.conftest import wait_db
from tests.support.screen import settle, wait_until


def _keys(screen: PartnersScreen) -> list[str]:
    lst = screen.query_one(VirtualList)
    return [str(lst.row_at(i).key) for i in range(lst.row_count or 0)  # type: ignore[union-attr]
            if lst.row_at(i) is not None]


async def _search_field(app: CrmApp, pilot: Any) -> PartnersScreen:
    """Open the partners section, wait for its three partners, go to the search field."""
    await wait_db(app, pilot)
    await pilot.press("1")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, PartnersScreen)
    await wait_until(pilot, lambda: len(_keys(screen)) == 3)
    await pilot.press("ctrl+f")
    return screen


async def test_search_as_you_type_and_open_card(partners_db: str, fixed_now: object) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _search_field(app, pilot)
        for char in "артем":
            await pilot.press(char)
        await wait_until(pilot, lambda: _keys(screen) == ["P2"])
        await pilot.press("enter")  # to the list
        await pilot.press("enter")  # open the card
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerCardScreen))
        card = app.screen
        assert isinstance(card, PartnerCardScreen)
        await wait_until(pilot, lambda: card.view is not None)
        assert card.view is not None and card.view.contacts[0].phones == ("+79161234567",)
        await pilot.press("f4", "f4")
        assert card.query_one("TabbedContent").active == "contacts"  # type: ignore[attr-defined]
        await pilot.press("ctrl+k")  # a new claim of this partner
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ClaimFormScreen")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerCardScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnersScreen))


async def test_hostile_name_shows_literally(partners_db: str, fixed_now: object) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_db(app, pilot)
        await pilot.press("1")
        screen = app.screen
        await wait_until(pilot, lambda: len(_keys(screen)) == 3)  # type: ignore[arg-type]
        app.save_screenshot("list.svg", "/tmp")
        lst = screen.query_one(VirtualList)
        names = [lst.row_at(i).cells[0] for i in range(3)]  # type: ignore[union-attr]
        assert "[/]" in names
        app.push_screen(PartnerCardScreen("P3"))
        await wait_until(pilot, lambda: getattr(app.screen, "view", None) is not None)
        assert app.is_running


async def test_edit_details_link_and_contact(partners_db: str, fixed_now: object) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_db(app, pilot)
        app.push_screen(PartnerCardScreen("P2"))
        card = app.screen
        await wait_until(pilot, lambda: getattr(app.screen, "view", None) is not None)
        card = app.screen
        assert isinstance(card, PartnerCardScreen)
        card.query_one("#details-name").value = "Артём и Ко"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: card.view is not None and card.view.name == "Артём и Ко")
        card.action_tab(1)
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "LinkCounterpartyScreen")
        await settle(pilot)
        for char in "7707":
            await pilot.press(char)
        await settle(pilot)  # the search for what was typed has answered
        await wait_until(pilot, lambda: app.screen.query_one("#link-options").option_count == 1)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_until(pilot, lambda: card.view is not None
                         and len(card.view.counterparties) == 1)
        await pilot.press("ctrl+u")
        await wait_until(pilot, lambda: card.view is not None and not card.view.counterparties)
        card.action_tab(1)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ContactFormScreen")
        for field, value in (("#contact-name", "Анна"), ("#contact-phones", "8 (495) 123-45-67"),
                             ("#contact-emails", "not-an-email")):
            app.screen.query_one(field).value = value  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "not an e-mail address" in str(
            app.screen.query_one("#contact-error").render()))
        app.screen.query_one("#contact-emails").value = "anna@x.ru"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: card.view is not None and len(card.view.contacts) == 2)
    database = Database.open(partners_db)
    with database.read() as s:
        phones = [c.phones for c in get_partner(s, "P2").contacts if c.name == "Анна"]
        assert phones == [("+74951234567",)]
        assert [h.key for h in search_partners(s, "anna@x", 5)] == ["P2"]
    database.close()


async def test_a_search_letter_is_drawn_with_its_results(partners_db: str,
                                                         fixed_now: object) -> None:
    """No frame shows the typed letter over the rows of the search before it; and the hold
    on frames ends with the results, or when the screen is left."""
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _search_field(app, pilot)
        await settle(pilot)
        search = screen.query_one("#partners-search", Input)
        drawn: list[tuple[str, list[str]]] = []
        original = app._display

        def display(shown: Any, renderable: Any) -> None:
            if renderable is not None:
                drawn.append((search.value, _keys(screen)))
            original(shown, renderable)

        app._display = display  # type: ignore[method-assign]
        await pilot.press("р")
        await wait_until(pilot, lambda: _keys(screen) == ["P1"] and app._batch_count == 0)
        await settle(pilot)
        assert drawn and all(keys == ["P1"] for value, keys in drawn if value == "р"), drawn
        app._display = original  # type: ignore[method-assign]
        hold = screen._search_hold
        assert hold is not None and not hold.holding
        hold.hold()  # as if a search were still being read when the section is left
        await app.action_section("home")
        await settle(pilot)
        assert not hold.holding and app._batch_count == 0
