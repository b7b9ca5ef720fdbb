"""The board's flow: winning or losing asks once, naming the deal and its amount; closed
cards look different; a new deal is selected; counts and sums (and Home's) are never stale."""

from __future__ import annotations

import re

from sqlmodel import select

from crm_tui.app import CrmApp
from crm_tui.screens.deals.board import DealsScreen
from crm_tui.screens.deals.loss_reason_dialog import LossReasonDialog
from crm_tui.screens.deals.outcome_dialog import WinDialog
from crm_tui.store.database import Database
from crm_tui.store.models import Deal
from crm_tui.widgets.kanban import KanbanBoard
from tests.functional.deals.conftest import open_deals
from tests.support.screen import screen_text, settle, wait_until


def _status(url: str, key: str) -> str:
    database = Database.open(url)
    try:
        with database.read() as s:
            return s.exec(select(Deal).where(Deal.key == key)).one().status
    finally:
        database.close()


def _open_deals(app: CrmApp) -> int | None:
    found = re.search(r"(\d+)\s+open deals", screen_text(app))
    return int(found.group(1)) if found else None


def _board(app: CrmApp) -> KanbanBoard:
    return app.screen.query_one(KanbanBoard)


async def test_win_asks_once_with_deal_and_amount(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        await pilot.press("right", "right")  # D3, "Final offer", 99.00, at the last stage
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, WinDialog), what="the question")
        text = screen_text(app)
        assert "D3" in text and "Final offer" in text and "99.00" in text
        await pilot.press("escape")  # changed one's mind: nothing happens
        await wait_until(pilot, lambda: isinstance(app.screen, DealsScreen), what="the board")
        await settle(pilot)
        assert _status(deals_url, "D3") == "open"
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, WinDialog), what="the question")
        await pilot.press("enter")
        await wait_until(pilot, lambda: _status(deals_url, "D3") == "won", what="D3 won")
        # the column's count and sum change at once
        await wait_until(pilot, lambda: _board(app).columns[2].count == 0, what="count 0")
        assert _board(app).columns[2].total == 0


async def test_lose_names_the_deal_and_amount(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LossReasonDialog),
                         what="the reasons")
        text = screen_text(app)
        assert "D1" in text and "Pipes for Alpha" in text and "1,500,000.00" in text
        assert "Alpha Trade" in text


async def test_closed_cards_look_different(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        await pilot.press("right", "right", "w")
        await wait_until(pilot, lambda: isinstance(app.screen, WinDialog), what="the question")
        await pilot.press("enter")
        await wait_until(pilot, lambda: _status(deals_url, "D3") == "won", what="D3 won")
        await pilot.press("a")  # open and closed
        board = _board(app)
        await wait_until(pilot, lambda: any(c.key == "D3" for c in board.columns[2].cards),
                         what="D3 shown")
        await settle(pilot)
        await pilot.pause()
        closed = "\n".join(board.columns[2].plain_lines())
        assert "✓ won" in closed and " d" not in closed.split("99.00")[1].splitlines()[0]
        opened = "\n".join(board.columns[0].plain_lines())
        assert "won" not in opened and "lost" not in opened


async def test_new_deal_is_selected(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        screen = app.screen
        assert isinstance(screen, DealsScreen)
        await pilot.press("n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DealFormScreen",
                         what="the form")
        # The deal the form saved: it lands in the second column (qualification).
        from tests.unit.deals.data import seed

        database = Database.open(deals_url)
        seed(database, [{"type": "deal", "id": "D9", "name": "Brand new", "partner": "P2",
                         "kind": "typical", "manager": "ivanov", "amount": "7.00",
                         "created_at": "2026-01-14T09:00:00", "status": "open",
                         "stages": [{"stage": "lead", "at": "2026-01-14T09:00:00"},
                                    {"stage": "qualify", "at": "2026-01-14T10:00:00"}]}])
        database.close()
        app.screen.dismiss("D9")
        await wait_until(pilot, lambda: screen.current_card is not None
                         and screen.current_card.key == "D9", what="D9 selected")
        assert _board(app).active_column == 1


async def test_counts_fresh_when_coming_back(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        await pilot.press("0")
        await wait_until(pilot, lambda: _open_deals(app) == 5, what="Home's five open deals")
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, DealsScreen), what="board")
        await pilot.press("right", "right", "w")
        await wait_until(pilot, lambda: isinstance(app.screen, WinDialog), what="the question")
        await pilot.press("enter")
        await wait_until(pilot, lambda: _status(deals_url, "D3") == "won", what="D3 won")
        await settle(pilot)
        await pilot.press("0")  # Home counts the deal won in this session at once
        await wait_until(pilot, lambda: _open_deals(app) == 4,
                         what="Home's open deals counted again")
        # A deal changed while the board was away: the board counts it on coming back.
        from crm_tui.store.repo_deals import move_deal

        database = Database.open(deals_url)
        try:
            with database.write() as s:
                version = s.exec(select(Deal).where(Deal.key == "D1")).one().version
                move_deal(s, "D1", version, step=1)
        finally:
            database.close()
        await pilot.press("2")
        board = _board(app)
        await wait_until(pilot, lambda: [c.count for c in board.columns] == [0, 2, 0],
                         what="the board's counts read again")
