"""VirtualList: one load per source (page, then count), its own scrolling and scroll bar."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from textual.app import App, ComposeResult

from crm_tui.widgets.virtual_list import Column, Row, VirtualList
from tests.support.screen import wait_until


class Numbers:
    """`total` rows "row N"; records what was asked, from which threads."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.fetched: list[int] = []
        self.counted = 0
        self.threads: set[int] = set()

    def count(self) -> int:
        self.counted += 1
        self.threads.add(threading.get_ident())
        return self.total

    def fetch(self, offset: int, limit: int) -> Sequence[Row]:
        self.fetched.append(offset)
        self.threads.add(threading.get_ident())
        return [Row(i, (f"row {i}",)) for i in range(offset, min(offset + limit, self.total))]


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield VirtualList([Column("Name")], id="numbers")


class Wheel:
    """A mouse wheel event as the list's handlers use it."""

    def stop(self) -> None:
        pass


def line(lst: VirtualList, y: int) -> str:
    return "".join(segment.text for segment in lst.render_line(y))


async def counted(pilot: Any, lst: VirtualList, total: int) -> Numbers:
    """Show `total` numbered rows in `lst` and wait until they are counted."""
    source = Numbers(total)
    lst.set_source(source)
    await wait_until(pilot, lambda: lst.row_count == total, what="counted")
    return source


async def test_a_source_loads_its_first_page_then_its_count_in_one_worker() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        lst = app.query_one(VirtualList)
        source = Numbers(1000)
        lst.set_source(source)
        await wait_until(pilot, lambda: lst.row_count == 1000 and lst.row_at(0) is not None,
                         what="loaded")
        assert source.fetched == [0] and source.counted == 1
        assert len(source.threads) == 1 and threading.get_ident() not in source.threads
        assert line(lst, 1).startswith("row 0")


async def test_end_shows_the_last_rows_and_the_thumb_moves_down() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        lst = app.query_one(VirtualList)
        lst.set_source(Numbers(1000))
        await wait_until(pilot, lambda: lst.row_count == 1000, what="counted")
        visible = lst.size.height - 1
        assert line(lst, 1).rstrip().endswith("┃")  # thumb at the top
        assert not line(lst, visible).rstrip().endswith("┃")
        lst.focus()
        await pilot.press("end")
        await wait_until(pilot, lambda: lst.highlighted_row is not None, what="last page")
        assert lst.cursor == 999
        assert line(lst, visible).startswith("row 999")
        assert line(lst, visible).rstrip().endswith("┃")  # thumb at the bottom
        assert not line(lst, 1).rstrip().endswith("┃")


async def test_few_rows_no_thumb_and_the_wheel_moves_the_cursor() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        lst = app.query_one(VirtualList)
        lst.set_source(Numbers(5))
        await wait_until(pilot, lambda: lst.row_count == 5, what="counted")
        assert all("┃" not in line(lst, y) for y in range(lst.size.height))
        lst.on_mouse_scroll_down(Wheel())
        assert lst.cursor == 3
        lst.on_mouse_scroll_up(Wheel())
        assert lst.cursor == 0


async def test_set_count_changes_the_count_without_reading_rows_again() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        lst = app.query_one(VirtualList)
        source = await counted(pilot, lst, 50)
        shown: list[int] = []
        lst.set_count(2000)
        await pilot.pause()
        shown.append(lst.row_count or 0)
        assert shown == [2000] and source.fetched == [0] and source.counted == 1


async def test_a_page_the_view_left_before_its_worker_ran_is_not_read() -> None:
    """A burst of PageDown starts a worker per page; a worker whose page the view has left
    by the time it runs reads nothing (each read takes a database connection), and the
    page, if shown again, is asked for once more."""
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        lst = app.query_one(VirtualList)
        source = Numbers(100_000)
        lst.set_source(source)
        await wait_until(pilot, lambda: lst.row_count == 100_000, what="counted")
        source.fetched.clear()
        generation = lst._generation
        lst._pending.add(7)
        lst._fetch_in_thread(source, generation, 7)  # page 7 (rows 350-399) is not shown
        await pilot.pause()
        assert source.fetched == [] and 7 not in lst._pending
        lst._fetch_in_thread(source, generation, 0)  # page 0 is
        assert source.fetched == [0]
        lst.focus()
        lst.cursor = 360
        await wait_until(pilot, lambda: lst.highlighted_row is not None, what="page 7 shown")
        assert source.fetched == [0, 350]


class SmallPages(App[None]):
    def compose(self) -> ComposeResult:
        yield VirtualList([Column("Name")], page_size=10, id="numbers")


async def test_the_page_a_screen_ahead_is_read_before_it_is_shown() -> None:
    """After the view moves, the page a screen further on is read: the next PageDown draws
    rows at once, not "…" and then the rows a frame later."""
    app = SmallPages()
    async with app.run_test(size=(40, 12)) as pilot:  # 11 rows in view, pages of 10
        lst = app.query_one(VirtualList)
        source = await counted(pilot, lst, 1000)
        await wait_until(pilot, lambda: lst.row_at(10) is not None, what="the first screen")
        lst.focus()
        await pilot.press("pagedown", "pagedown")  # cursor 20: rows 10-20 in view
        await wait_until(pilot, lambda: lst.row_at(31) is not None, what="read ahead")
        assert 30 in source.fetched and 40 not in source.fetched
        await pilot.press("pagedown")  # cursor 30: rows 20-30 in view, all of them read
        shown = [line(lst, y) for y in range(1, 12)]
        assert all("…" not in text for text in shown), shown
        assert shown[-1].startswith("row 30")
        # A page that arrives out of view redraws nothing (over SSH a redraw of the list
        # sends every visible line again); one in view does.
        redrawn: list[object] = []
        lst.refresh = lambda *regions, **kw: redrawn.append(regions)  # type: ignore[method-assign]
        lst._fetched(lst._generation, 5, source.fetch(50, 10))
        assert redrawn == []
        lst._fetched(lst._generation, 2, source.fetch(20, 10))
        assert redrawn


async def test_moving_up_reads_the_page_a_screen_above() -> None:
    app = SmallPages()
    async with app.run_test(size=(40, 12)) as pilot:
        lst = app.query_one(VirtualList)
        source = await counted(pilot, lst, 1000)
        lst.focus()
        await pilot.press("end")  # rows 989-999 in view
        await wait_until(pilot, lambda: lst.row_at(999) is not None, what="the end")
        await pilot.press("pageup", "pageup")  # cursor 979: rows 979-989 in view
        await wait_until(pilot, lambda: lst.row_at(968) is not None, what="read above")
        assert 960 in source.fetched and 950 not in source.fetched
