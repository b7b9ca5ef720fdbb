"""The command palette opens a record by its key, read off the event loop."""

from __future__ import annotations

import threading

import pytest
from textual.command import CommandList

from crm_tui import palette
from crm_tui.app import CrmApp
from crm_tui.screens.deals.form import DealFormScreen
from crm_tui.screens.partners.card import PartnerCardScreen
from crm_tui.store.database import Database
from tests.support.screen import settle, wait_for_database, wait_until

SIZE = (120, 36)


def highlighted_prompt(app: CrmApp) -> str:
    commands = app.screen.query_one(CommandList)
    index = commands.highlighted
    return "" if index is None else str(commands.get_option_at_index(index).prompt)


async def open_by_palette(app: CrmApp, pilot, typed: str, offered: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: bool(app.screen.query(CommandList)), what="palette open")
    await pilot.press(*typed)
    await wait_until(pilot, lambda: offered in highlighted_prompt(app), what=f"{offered!r} offered")
    await pilot.press("enter")


async def test_a_deal_key_opens_the_deal(small_db: Database, db_url: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[threading.Thread] = []
    real = palette._records

    def spy(db: Database, text: str):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real(db, text)

    monkeypatch.setattr(palette, "_records", spy)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        await open_by_palette(app, pilot, "d000003", "Open deal D000003")
        await wait_until(pilot, lambda: isinstance(app.screen, DealFormScreen),
                         what="the deal form shown")
        assert isinstance(app.screen, DealFormScreen)
        assert app.screen.deal_key == "D000003"
        await settle(pilot)
    assert threads and threading.main_thread() not in threads  # never on the event loop


async def test_a_partner_key_opens_the_card_and_a_stranger_offers_nothing(
        small_db: Database, db_url: str) -> None:
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: bool(app.screen.query(CommandList)), what="palette open")
        await pilot.press(*"ZZ-404")
        await settle(pilot)
        assert "Open" not in highlighted_prompt(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not app.screen.query(CommandList), what="palette closed")
        await open_by_palette(app, pilot, "P00001", "Open partner P00001")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerCardScreen),
                         what="the partner card shown")
        assert isinstance(app.screen, PartnerCardScreen)
        assert app.screen.partner_key == "P00001"
        await settle(pilot)
