"""Moving the cursor on the deals board redraws only what changed (issue 24 §5): over a slow
SSH link the bytes sent, not the CPU, set the pace.

Textual sends a partial redraw from the left edge of the widget holding the region to the
region's right edge, so what a key costs is counted here the way Textual sends it: for each
region a widget asks to redraw, its lines from the widget's left edge to the region's right
edge. With one widget for the whole board a card in the fourth column sent the three columns
left of it as well, and a step that scrolled a column sent all of it (~5 KB a key)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widget import Widget

from crm_tui.app import CrmApp
from crm_tui.screens.deals.board import DealsScreen
from crm_tui.widgets.kanban import CARD_HEIGHT, CARD_LINES, ColumnSpec, KanbanBoard
from tests.functional.deals.conftest import open_deals
from tests.support.screen import settle

WIDTH, HEIGHT, COLUMNS, CARDS = 100, 36, 4, 12
COLUMN_WIDTH = WIDTH // COLUMNS


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


def record_refreshes(root: Widget) -> list[tuple[Widget, tuple[Region, ...]]]:
    """Every refresh asked from now on by `root` or a widget under it, with its regions
    (() = the whole widget)."""
    calls: list[tuple[Widget, tuple[Region, ...]]] = []
    for widget in [root, *root.walk_children(Widget)]:
        original = widget.refresh

        def refresh(*regions: Region, _widget: Widget = widget, _original: Any = original,
                    **options: Any) -> Widget:
            calls.append((_widget, regions))
            return _original(*regions, **options)

        widget.refresh = refresh  # type: ignore[method-assign]
    return calls


def cells_sent(calls: list[tuple[Widget, tuple[Region, ...]]]) -> int:
    """The cells Textual sends for these refreshes: each region's lines from the left edge
    of its widget to the region's right edge."""
    total = 0
    for widget, regions in calls:
        for region in regions or (widget.size.region,):
            total += region.right * region.height
    return total


def slices(board: KanbanBoard, column: int) -> list[Widget]:
    """The widgets that draw `column`: the one before it (its left border) and its own."""
    return list(board.children)[column:column + 2]


def body(board: KanbanBoard, column: int) -> Widget:
    return slices(board, column)[1]


def reversed_lines(board: KanbanBoard, column: int) -> list[int]:
    """The lines of `column` drawn in reverse video (the cursor's card)."""
    view = body(board, column)
    return [y for y in range(view.size.height)
            if any(segment.style is not None and segment.style.reverse
                   for segment in view.render_line(y))]


async def _board(pilot: Any, app: BoardApp) -> KanbanBoard:
    board = app.query_one(KanbanBoard)
    await board.set_columns([ColumnSpec(i, f"Stage {i}") for i in range(COLUMNS)])
    for index in range(COLUMNS):
        cards = [FakeCard(f"D-{index}-{n}", f"Deal {index}-{n}") for n in range(CARDS)]
        board.set_column_data(index, CARDS, Decimal(100 * CARDS), cards)
    board.focus()
    await pilot.pause()
    return board


async def test_a_card_step_in_the_last_column_sends_only_its_two_cards() -> None:
    app = BoardApp()
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        board = await _board(pilot, app)
        await pilot.press("right", "right", "right")
        await pilot.pause()
        first = reversed_lines(board, 3)
        calls = record_refreshes(app.screen)
        await pilot.press("down")
        await pilot.pause()
        assert board.current_card is not None and board.current_card.key == "D-3-1"
        # Both cards' text lines, never more than the two cards of one column.
        assert 0 < cells_sent(calls) <= 2 * CARD_LINES * COLUMN_WIDTH
        assert {widget for widget, _regions in calls} == {body(board, 3)}
        # The drawing follows: the cursor's reverse video moved down one card.
        assert reversed_lines(board, 3) == [y + CARD_HEIGHT for y in first]
        assert len(first) == CARD_LINES


async def test_a_step_that_scrolls_sends_only_the_cards_of_the_column() -> None:
    app = BoardApp()
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        board = await _board(pilot, app)
        await pilot.press("right", "right")
        column = board.column(2)
        assert column is not None
        visible = column.visible_cards()
        await pilot.press(*["down"] * (visible - 1))  # the cursor on the last card in view
        await pilot.pause()
        assert column.top == 0
        calls = record_refreshes(app.screen)
        await pilot.press("down")
        await pilot.pause()
        assert column.top == 1 and column.cursor == visible
        # The cards' text in view (it moved up a card): not the header, not the blank
        # lines between the cards, not the other columns.
        assert 0 < cells_sent(calls) <= visible * CARD_LINES * COLUMN_WIDTH
        assert {widget for widget, _regions in calls} == {body(board, 2)}
        assert any(line.startswith("Deal 2-1 ") for line in column.plain_lines())


async def test_a_column_step_redraws_two_columns_borders_and_cursor_cards() -> None:
    app = BoardApp()
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        board = await _board(pilot, app)
        calls = record_refreshes(app.screen)
        await pilot.press("right")
        await pilot.pause()
        assert {widget for widget, _regions in calls} <= {*slices(board, 0), *slices(board, 1)}
        # The two columns' borders change colour on every line: they are redrawn, with the
        # first column's left border, and nothing else.
        assert cells_sent(calls) <= 2 * COLUMN_WIDTH * HEIGHT + len("│ ") * HEIGHT
        assert board.current_card is not None and board.current_card.key == "D-1-0"
        assert not reversed_lines(board, 0) and len(reversed_lines(board, 1)) == CARD_LINES


async def test_on_the_deals_screen_a_key_redraws_the_board_alone_and_idle_nothing(
        deals_url: str) -> None:
    """The filters' line, the key bar and the section bar stay as they are: only the two
    columns are sent; nothing at all while no key is pressed."""
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        await settle(pilot)
        assert isinstance(app.screen, DealsScreen)
        board = app.screen.query_one(KanbanBoard)
        calls = record_refreshes(app.screen)
        await pilot.press("right")
        await settle(pilot)
        assert board.active_column == 1
        assert calls
        assert {widget for widget, _regions in calls} <= {*slices(board, 0), *slices(board, 1)}
        calls.clear()
        await pilot.pause(0.5)
        assert calls == []
