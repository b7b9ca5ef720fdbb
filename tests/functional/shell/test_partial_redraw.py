"""Moving a cursor redraws only what changed: over a slow SSH link the bytes sent, not the
CPU, set the pace (a whole list redrawn per key was 5-7 KB). The deals board's own tests
are in tests/functional/deals/test_board_redraw.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widget import Widget

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
