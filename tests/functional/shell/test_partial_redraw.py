"""Moving a cursor redraws only what changed: over a slow SSH link the bytes sent, not the
CPU, set the pace (a whole list redrawn per key was 5-7 KB, the board ~25 KB)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widget import Widget

from crm_tui.widgets.kanban import CARD_HEIGHT, HEADER_LINES, ColumnSpec, KanbanBoard
from crm_tui.widgets.virtual_list import Column, Row, VirtualList
from tests.support.screen import wait_until


class Numbers:
    def count(self) -> int:
        return 500

    def fetch(self, offset: int, limit: int) -> Sequence[Row]:
        return [Row(i, (f"row {i}",)) for i in range(offset, min(offset + limit, 500))]


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield VirtualList([Column("Name")])


def record_refreshes(widget: Widget) -> list[tuple[Region, ...]]:
    """Every call of widget.refresh from now on, as the regions asked (() = everything)."""
    calls: list[tuple[Region, ...]] = []
    original = widget.refresh

    def refresh(*regions: Region, **options: Any) -> Widget:
        calls.append(regions)
        return original(*regions, **options)

    widget.refresh = refresh  # type: ignore[method-assign]
    return calls


def text(widget: Widget, y: int) -> str:
    return "".join(segment.text for segment in widget.render_line(y))


async def test_a_cursor_step_in_view_redraws_two_lines_of_the_list() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        lst = app.query_one(VirtualList)
        lst.set_source(Numbers())
        await wait_until(pilot, lambda: lst.row_at(0) is not None, what="loaded")
        lst.focus()
        await pilot.pause()
        calls = record_refreshes(lst)
        await pilot.press("down")
        await pilot.pause()
        assert calls == [(Region(0, 1, 40, 1), Region(0, 2, 40, 1))]
        cursor_style = lst.get_component_rich_style("virtual-list--cursor")
        row_1, row_0 = next(iter(lst.render_line(2))), next(iter(lst.render_line(1)))
        assert row_1.style is not None and row_0.style is not None
        assert row_1.style.bgcolor == cursor_style.bgcolor != row_0.style.bgcolor


async def test_a_cursor_step_that_scrolls_redraws_the_list() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        lst = app.query_one(VirtualList)
        lst.set_source(Numbers())
        await wait_until(pilot, lambda: lst.row_at(0) is not None, what="loaded")
        lst.focus()
        lst.cursor = 10  # the last row in view (11 rows under the header)
        await pilot.pause()
        calls = record_refreshes(lst)
        await pilot.press("down")
        await pilot.pause()
        assert () in calls
        assert text(lst, 1).startswith("row 1")


@dataclass(frozen=True)
class FakeCard:
    key: str
    name: str
    partner: str = "Partner"
    amount: Decimal = Decimal("100.00")
    manager: str = "manager"
    days_in_stage: int = 1
    status: str = "open"


class BoardApp(App[None]):
    def compose(self) -> ComposeResult:
        yield KanbanBoard()


async def test_a_card_step_redraws_the_two_cards_and_a_column_step_two_columns() -> None:
    app = BoardApp()
    async with app.run_test(size=(100, 36)) as pilot:
        board = app.query_one(KanbanBoard)
        await board.set_columns([ColumnSpec(i, f"Stage {i}") for i in range(4)])
        for index in range(4):
            cards = [FakeCard(f"D-{index}{n}", f"Deal {index}{n}") for n in range(5)]
            board.set_column_data(index, 5, Decimal(500), cards)
        board.focus()
        await pilot.pause()
        calls = record_refreshes(board)
        await pilot.press("down")
        await pilot.pause()
        first_card = 1 + HEADER_LINES
        assert calls == [(Region(0, first_card, 25, CARD_HEIGHT),
                          Region(0, first_card + CARD_HEIGHT, 25, CARD_HEIGHT))]
        assert board.current_card is not None and board.current_card.key == "D-01"
        calls.clear()
        await pilot.press("right")
        await pilot.pause()
        assert calls == [(Region(0, 0, 25, 36), Region(25, 0, 25, 36))]
        assert board.current_card is not None and board.current_card.key == "D-10"
