"""Pilot: the deals board — columns, moves obeying the rules, win, lose, filters, list view."""

from __future__ import annotations

from sqlmodel import select

from crm_tui.app import CrmApp
from crm_tui.screens.deals.board import DealsScreen
from crm_tui.screens.deals.loss_reason_dialog import LossReasonDialog
from crm_tui.store.database import Database
from crm_tui.store.models import Deal
from crm_tui.widgets.kanban import KanbanBoard
from crm_tui.widgets.virtual_list import VirtualList
from tests.functional.deals.conftest import open_deals
from tests.support.screen import wait_until
from tests.unit.deals.data import HOSTILE_SAFE, make_hostile


def _deal(url: str, key: str) -> Deal:
    database = Database.open(url)
    try:
        with database.read() as s:
            return s.exec(select(Deal).where(Deal.key == key)).one()
    finally:
        database.close()


def _board(app: CrmApp) -> KanbanBoard:
    return app.screen.query_one(KanbanBoard)


def _keys(app: CrmApp, column: int) -> list[str]:
    col = _board(app).column(column)
    assert col is not None
    return [card.key for card in col.cards]


async def test_columns_counts_and_sums(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        board = _board(app)
        assert [c.spec.title for c in board.columns] == ["Lead", "Qualification", "Proposal"]
        assert [c.count for c in board.columns] == [1, 1, 1]
        assert _keys(app, 0) == ["D1"]
        await pilot.pause()
        column = board.column(0)
        assert column is not None
        rendered = "\n".join(column.plain_lines())
        assert "1,500,000.00" in rendered and "Alpha Trade" in rendered
        assert "Ivanov I." in rendered and "10 d" in rendered


async def test_move_next_and_refused_move(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        screen = app.screen
        assert isinstance(screen, DealsScreen)
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: _keys(app, 1) == ["D1", "D2"] or
                       _keys(app, 1) == ["D2", "D1"])
        assert "moved to Qualification" in screen.last_message
        assert _board(app).active_column == 1
        assert _deal(deals_url, "D1").version == 2
        # strict stages never go back: refused, with the reason, nothing changes
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: "cannot go back" in screen.last_message)
        assert _deal(deals_url, "D1").version == 2
        # win is refused before the last stage
        await pilot.press("w")
        await wait_until(pilot, lambda: "only from the last stage" in screen.last_message)
        assert _deal(deals_url, "D1").status == "open"


async def test_win_from_last_stage(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        screen = app.screen
        assert isinstance(screen, DealsScreen)
        await pilot.press("right", "right")
        assert screen.current_card is not None and screen.current_card.key == "D3"
        await pilot.press("w")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "WinDialog")
        await pilot.press("enter")
        await wait_until(pilot, lambda: _deal(deals_url, "D3").status == "won")
        await wait_until(pilot, lambda: _keys(app, 2) == [])
        assert "won" in screen.last_message


async def test_lose_with_reason(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LossReasonDialog))
        await pilot.press("down", "enter")  # the second reason: Chose a competitor
        await wait_until(pilot, lambda: _deal(deals_url, "D1").status == "lost")
        deal = _deal(deals_url, "D1")
        assert deal.loss_reason_id is not None and deal.closed_at is not None
        await wait_until(pilot, lambda: _keys(app, 0) == [])


async def test_reopen_a_lost_deal_from_the_board(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        screen = app.screen
        assert isinstance(screen, DealsScreen)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LossReasonDialog))
        await pilot.press("enter")
        await wait_until(pilot, lambda: _deal(deals_url, "D1").status == "lost")
        await wait_until(pilot, lambda: "D1" not in _keys(app, 0))
        await pilot.press("a")  # open and closed deals
        await wait_until(pilot, lambda: "D1" in _keys(app, 0))
        while screen.current_card is None or screen.current_card.key != "D1":
            await pilot.press("down")
        await pilot.press("r")
        await wait_until(pilot, lambda: _deal(deals_url, "D1").status == "open")
        deal = _deal(deals_url, "D1")
        assert deal.closed_at is None and deal.loss_reason_id is None
        assert "reopened" in screen.last_message
        await pilot.press("r")  # open already: refused, with the reason
        await wait_until(pilot, lambda: "open already" in screen.last_message)
        await pilot.press("f1")  # the board's keys are in the help
        await wait_until(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        described = {description for _key, description in app.screen.screen_keys}
        assert {"Reopen", "Win", "Lose", "Open only"} <= described
        # Those are "Everywhere", with Textual's own (untranslated) keys.
        assert not described & {"Quit", "Help", "Partners", "Focus Next", "Copy selected text"}


async def test_lose_cancelled_changes_nothing(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LossReasonDialog))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DealsScreen))
        assert _deal(deals_url, "D1").status == "open"


async def test_filters_and_kind_cycle(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        board = _board(app)
        await pilot.press("m")  # mine: ivanov
        await wait_until(pilot, lambda: [c.count for c in board.columns] == [1, 0, 1])
        await pilot.press("m")
        await pilot.press("g", "g")  # region: MSK, then SPB
        await wait_until(pilot, lambda: [c.count for c in board.columns] == [0, 1, 0])
        await pilot.press("k")  # manual kind
        await wait_until(pilot, lambda: _keys(app, 0) == [] and board.columns[0].count == 0)
        await pilot.press("g")  # every region
        await wait_until(pilot, lambda: _keys(app, 0) == ["D4"])
        await pilot.press("k")  # non-process: a list
        screen = app.screen
        await wait_until(pilot, lambda: screen.has_class("-list"))
        deal_list = screen.query_one(VirtualList)
        await wait_until(pilot, lambda: deal_list.row_at(0) is not None)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LossReasonDialog))
        await pilot.press("enter")
        await wait_until(pilot, lambda: _deal(deals_url, "D5").status == "lost")


async def test_hostile_names_show_literally(deals_url: str) -> None:
    database = Database.open(deals_url)
    make_hostile(database)
    database.close()
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        await pilot.pause()
        col = _board(app).column(0)
        assert col is not None
        rendered = "\n".join(col.plain_lines())
        assert HOSTILE_SAFE[:20] in rendered
        assert "\x1b" not in rendered and "\x07" not in rendered
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LossReasonDialog))
        await pilot.press("escape")
        assert app.is_running
