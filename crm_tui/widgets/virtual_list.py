"""A virtual list on Textual's line API: rows are paged from a RowSource in thread workers.

It never holds more than a bounded number of pages, so it opens instantly and stays small
on a million rows. Cells are plain text, never markup, with control characters stripped.

A new source is loaded by one worker: first the page under the cursor, shown as soon as it
arrives (counting a big table may take longer than reading its first rows), then the count.
One thread and one pass, so the two do not compete for the interpreter. Until the new count
is known, `row_count` is the last count, or the rows seen so far (exact when a page came back
short). A count learnt later (say, an exact count after a capped one) is set with
`set_count`, without reading the rows again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import on
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from crm_tui.domain.text import safe_display
from crm_tui.i18n import _


@dataclass(frozen=True)
class Column:
    """A column: its title (translated), width in cells (None: takes the rest), alignment.

    When the list is too narrow for every column, the columns with the highest `drop` go
    first (0: never dropped), before a flexible column gets narrower than `min_width`: a
    key, a date or an amount is shown whole or not at all, never cut. Flexible columns share
    the rest of the width in proportion to their `weight`."""

    title: str
    width: int | None = None
    align: Literal["left", "right"] = "left"
    drop: int = 0
    min_width: int = 8
    weight: int = 1


@dataclass(frozen=True)
class Row:
    """One row: `key` identifies the record; `cells` are display strings; `style` marks the
    whole row (a component class suffix such as "overdue" or "muted", or "")."""

    key: Any
    cells: tuple[str, ...]
    style: str = ""


def label_width(*labels: str) -> int:
    """The cells the widest of `labels` takes once translated: a column of statuses or kinds
    as wide as its longest value in the current language, so none is ever cut."""
    return max(cell_len(_(label)) for label in labels)


PAGE_SIZE = 50  # rows read at a time: a screenful or two
FITTED_ROWS = 200  # rows whose fitted text is kept (a few screens of them)


class RowSource(Protocol):
    """Where rows come from. Both methods run in a worker thread, never on the event loop."""

    def count(self) -> int: ...

    def fetch(self, offset: int, limit: int) -> Sequence[Row]: ...


class PageRead(Message):
    """A worker read a page of rows (posted to the list itself)."""

    def __init__(self, generation: int, page: int, rows: Sequence[Row]) -> None:
        super().__init__()
        self.generation, self.page, self.rows = generation, page, rows


class PageLeft(Message):
    """A worker did not read a page: the view had left it before the worker's turn came."""

    def __init__(self, generation: int, page: int) -> None:
        super().__init__()
        self.generation, self.page = generation, page


class CountRead(Message):
    """A worker counted the rows (posted to the list itself)."""

    def __init__(self, generation: int, count: int) -> None:
        super().__init__()
        self.generation, self.count = generation, count


class VirtualList(ScrollView, can_focus=True):
    """A scrolling list with a header line and a cursor, paging rows from a RowSource."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "edge(0)", show=False),
        Binding("end", "edge(1)", show=False),
        Binding("enter", "select", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-list--header",
        "virtual-list--cursor",
        "virtual-list--overdue",
        "virtual-list--muted",
        "virtual-list--placeholder",
        "virtual-list--thumb",
    }
    # Textual's scrollbars are widgets: every change of the row count re-laid out the screen
    # two or three times. The list draws its own one-column bar instead (last column).
    DEFAULT_CSS = """
    VirtualList { height: 1fr; background: $surface; overflow: hidden hidden; }
    VirtualList > .virtual-list--thumb { color: $scrollbar; }
    VirtualList > .virtual-list--header { text-style: bold; background: $panel; color: $text; }
    VirtualList > .virtual-list--cursor { background: $block-cursor-blurred-background; }
    VirtualList:focus > .virtual-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    VirtualList > .virtual-list--overdue { color: $error; }
    VirtualList > .virtual-list--muted { color: $text-muted; }
    VirtualList > .virtual-list--placeholder { color: $text-disabled; }
    """

    cursor: reactive[int] = reactive(0, repaint=False)

    class Highlighted(Message):
        """The cursor moved to `row` (None while its page is loading or the list is empty)."""

        def __init__(self, source: VirtualList, index: int, row: Row | None) -> None:
            super().__init__()
            self.list = source
            self.index = index
            self.row = row

        @property
        def control(self) -> VirtualList:
            return self.list

    class Selected(Highlighted):
        """Enter was pressed on `row`."""

    class Counted(Message):
        """The source's row count is known."""

        def __init__(self, source: VirtualList, count: int) -> None:
            super().__init__()
            self.list = source
            self.count = count

        @property
        def control(self) -> VirtualList:
            return self.list

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        page_size: int = PAGE_SIZE,
        max_pages: int = 16,
        empty_text: str | None = None,
        on_count: Callable[[int], None] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.page_size = page_size
        self.max_pages = max_pages
        self.empty_text = empty_text
        # Called with the count as it is shown, before the Counted message: a status line
        # updated here is drawn in the same frame as the rows (the message comes later).
        self.on_count = on_count
        self._source: RowSource | None = None
        self._generation = 0
        self._count: int | None = None
        self._exact = False  # whether _count is the current source's counted total
        self._pages: OrderedDict[int, Sequence[Row]] = OrderedDict()
        self._pending: set[int] = set()
        self._wanted: set[int] = set()
        # The first row shown. The list scrolls itself: with Textual's scrolling, every new
        # row count changed the virtual size, and each change re-laid out the whole screen.
        self._top = 0
        # Per frame: the styles looked up (see render_lines); per row: its fitted text.
        self._frame_styles: dict[str | None, Style] | None = None
        self._frame_visible: int | None = None
        self._widths: tuple[int, list[int]] = (-1, [])  # the last width and its columns
        self._fitted: dict[int, tuple[Row, int, str]] = {}

    # ----------------------------------------------------------------- data
    @property
    def row_count(self) -> int | None:
        """Rows in the source, or None until counted."""
        return self._count

    @property
    def source(self) -> RowSource | None:
        """Where the rows come from (an export reads every row from it, in a worker)."""
        return self._source

    @property
    def highlighted_row(self) -> Row | None:
        return self.row_at(self.cursor)

    def set_source(self, source: RowSource | None, keep_cursor: bool = False) -> None:
        """Show rows from `source` (counted and paged in workers)."""
        self._source = source
        self._generation += 1
        self._pages.clear()
        self._fitted.clear()
        self._pending.clear()
        self._wanted.clear()
        self._exact = False
        if not keep_cursor:
            self.cursor = 0
            self._show_from(0)
        if source is None:
            self._count = 0
            self._resize()
            return
        generation = self._generation
        page = self.cursor // self.page_size
        self._pending.add(page)
        self.run_worker(
            lambda: self._load_in_thread(source, generation, page),
            thread=True, group=f"load-{id(self)}", exclusive=True,
        )

    def reload(self) -> None:
        """Count and page the same source again, keeping the cursor where it is."""
        self.set_source(self._source, keep_cursor=True)

    def row_at(self, index: int) -> Row | None:
        page, offset = divmod(index, self.page_size)
        rows = self._pages.get(page)
        if rows is None or offset >= len(rows):
            return None
        return rows[offset]

    def set_count(self, count: int) -> None:
        """The source's exact row count, learnt without the list asking (rows are kept)."""
        self._counted(self._generation, count)

    def _load_in_thread(self, source: RowSource, generation: int, page: int) -> None:
        # Posted, not called from the thread (which would wait for the page to be drawn):
        # a count the source already knows then reaches the list in the same frame.
        rows = source.fetch(page * self.page_size, self.page_size)
        self.post_message(PageRead(generation, page, rows))
        if generation == self._generation:  # not replaced meanwhile: count it
            self.post_message(CountRead(generation, source.count()))

    @on(PageRead)
    def _page_read(self, message: PageRead) -> None:
        message.stop()
        self._fetched(message.generation, message.page, message.rows)

    @on(CountRead)
    def _count_read(self, message: CountRead) -> None:
        message.stop()
        self._counted(message.generation, message.count)

    def _counted(self, generation: int, count: int) -> None:
        if generation != self._generation:
            return
        if self._exact and count == self._count:
            return  # nothing changed: no resize, no second announcement
        self._count = count
        self._exact = True
        self.cursor = min(self.cursor, max(count - 1, 0))
        if self.on_count is not None:
            self.on_count(count)
        self._resize()
        self.refresh()
        self.post_message(self.Counted(self, count))
        self._announce()

    def _resize(self) -> None:
        """The row count or the height changed: keep the view within the rows."""
        self._show_from(self._top)

    @property
    def _visible(self) -> int:
        """Rows shown at once (the header line aside)."""
        return max(self.size.height - 1, 1)

    def _show_from(self, top: int) -> None:
        top = max(0, min(top, (self._count or 0) - self._visible))
        if top != self._top:
            forward = top > self._top
            self._top = top
            self.refresh()
            self._read_ahead(forward)

    def _read_ahead(self, forward: bool) -> None:
        """Ask for the page a screen further on in the direction the view moved: the next
        PageDown (or PageUp) then draws rows, not "…" followed by the rows a frame later
        (on PostgreSQL a page is ~1 ms of a PageDown's 4–5 ms, and a second frame over SSH)."""
        count = self._count or 0
        row = self._top + 2 * self._visible - 1 if forward else self._top - self._visible
        if 0 <= row < count:
            self._want(row // self.page_size)

    def _want(self, page: int) -> None:
        if page in self._pages or page in self._pending or self._source is None:
            return
        if not self._wanted:
            self.call_later(self._fetch_wanted)
        self._wanted.add(page)

    def _fetch_wanted(self) -> None:
        source, generation = self._source, self._generation
        wanted, self._wanted = self._wanted, set()
        for page in sorted(wanted):
            if page in self._pending or page in self._pages or source is None:
                continue
            self._pending.add(page)
            self.run_worker(
                lambda page=page: self._fetch_in_thread(source, generation, page),
                thread=True, group=f"pages-{id(self)}",
            )

    def _fetch_in_thread(self, source: RowSource, generation: int, page: int) -> None:
        # A burst of PageDown wants a new page nearly every key, each read on a thread and a
        # database connection of its own: on the huge demo set up to seven at once, most of
        # them for pages already scrolled past, and every extra connection opened and closed
        # again (memory the allocator keeps). A page the view has left is not read.
        if not self._shows_page(generation, page):
            self.post_message(PageLeft(generation, page))
            return
        self.post_message(PageRead(generation, page,
                                   source.fetch(page * self.page_size, self.page_size)))

    def _shows_page(self, generation: int, page: int) -> bool:
        """Whether the list shows rows of `page` for this source or is within a screen of them
        (asked from a worker: plain numbers; a stale answer reads a page once more, or skips
        one that the next frame asks for again)."""
        if generation != self._generation:
            return False
        # Within a screen of the view: the rows shown and those read ahead (_read_ahead).
        return self._page_overlaps(page, self._top - self._visible, self._top + 2 * self._visible)

    def _page_overlaps(self, page: int, start: int, end: int) -> bool:
        """Whether rows [start, end) hold a row of `page`."""
        return page * self.page_size < end and start < (page + 1) * self.page_size

    def _in_view(self, page: int) -> bool:
        """Whether a row of `page` is on the screen now."""
        return self._page_overlaps(page, self._top, self._top + self._visible)

    @on(PageLeft)
    def _page_left(self, message: PageLeft) -> None:
        if message.generation == self._generation:
            self._pending.discard(message.page)
            if self._in_view(message.page):
                self.refresh()  # shown again meanwhile: its rows ask for it once more
            elif self._shows_page(message.generation, message.page):
                self._want(message.page)  # a screen away again: read it ahead

    def _fetched(self, generation: int, page: int, rows: Sequence[Row]) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page)
        self._pages[page] = rows
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        counted = False
        if not self._exact:  # the count is pending: what this page tells about it
            seen = page * self.page_size + len(rows)
            short = len(rows) < self.page_size and (rows or page == 0)
            if short or seen > (self._count or 0):
                self._count = seen
                self.cursor = min(self.cursor, max(seen - 1, 0))
                self._resize()
                counted = True  # the scroll bar's thumb moves
        # A page read ahead is not drawn yet: redrawing the list for it would send every
        # visible line to the terminal again (and end a keystroke's frames later).
        if counted or self._in_view(page):
            self.refresh()
        if self.cursor // self.page_size == page:
            self._announce()

    # ------------------------------------------------------------ rendering
    def on_resize(self) -> None:
        self._resize()

    def _column_widths(self, width: int) -> list[int]:
        if self._widths[0] == width:
            return self._widths[1]
        shown = [i for i, c in enumerate(self.columns) if c.width != 0]

        def needed() -> int:
            return sum(self.columns[i].width or self.columns[i].min_width
                       for i in shown) + max(len(shown) - 1, 0)

        # The least important columns go first, the last of equal ones first.
        for index in sorted((i for i in shown if self.columns[i].drop),
                            key=lambda i: (-self.columns[i].drop, -i)):
            if needed() <= width:
                break
            shown.remove(index)
        gaps = max(len(shown) - 1, 0)
        fixed = sum(self.columns[i].width or 0 for i in shown)
        flexible = [i for i in shown if self.columns[i].width is None]
        rest = max(width - fixed - gaps, 0)
        weights = sum(self.columns[i].weight for i in flexible)
        widths = [0] * len(self.columns)
        for i in shown:
            widths[i] = self.columns[i].width or rest * self.columns[i].weight // weights
        if flexible:  # give the rounding remainder to the last flexible column
            widths[flexible[-1]] += rest - sum(widths[i] for i in flexible)
        self._widths = (width, widths)
        return widths

    def shown_titles(self) -> list[str]:
        """The titles of the columns shown at the list's current width."""
        widths = self._column_widths(max(self.size.width - 1, 0))
        return [c.title for c, size in zip(self.columns, widths, strict=True) if size]

    def _texts(self, cells: Sequence[str], width: int) -> str:
        """The cells as one line of `width` cells: each fitted to its column."""
        parts: list[str] = []
        for position, (column, size) in enumerate(zip(self.columns, self._column_widths(width),
                                                      strict=False)):
            if not size:  # a column dropped at this width
                continue
            text = safe_display(cells[position]) if position < len(cells) else ""
            if column.align == "right" and cell_len(text) < size:
                text = " " * (size - cell_len(text)) + text
            parts.append(set_cell_size(text, size))
        return set_cell_size(" ".join(parts), width)

    def _line(self, cells: Sequence[str], style: Style, width: int) -> Strip:
        return Strip([Segment(self._texts(cells, width), style)], width)

    def _row_line(self, row: Row, style: Style, width: int) -> Strip:
        """A row's line; its text is fitted once per row and width (scrolling and the
        cursor's moves redraw rows whose text has not changed)."""
        cached = self._fitted.get(id(row))
        if cached is None or cached[0] is not row or cached[1] != width:
            if len(self._fitted) > FITTED_ROWS:
                self._fitted.clear()
            cached = (row, width, self._texts(row.cells, width))
            self._fitted[id(row)] = cached
        return Strip([Segment(cached[2], style)], width)

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles are looked up once per frame, not once per line: rich_style walks the
        # ancestors (drawing 20 new rows cost 5 ms).
        self._frame_styles, self._frame_visible = {}, self._visible
        try:
            return super().render_lines(crop)
        finally:
            self._frame_styles, self._frame_visible = None, None

    def _style(self, component: str | None = None) -> Style:
        """The list's style, or a component's on top of it (cached for the frame)."""
        styles = self._frame_styles
        if styles is not None and component in styles:
            return styles[component]
        style = self.rich_style
        if component is not None:
            style = style + self._component(component)
        if styles is not None:
            styles[component] = style
        return style

    def _component(self, component: str) -> Style:
        """A component's own style (cached for the frame)."""
        styles = self._frame_styles
        key = f"only:{component}"
        if styles is not None and key in styles:
            return styles[key]
        style = self.get_component_rich_style(component)
        if styles is not None:
            styles[key] = style
        return style

    def render_line(self, y: int) -> Strip:
        strip = self._content_line(y, max(self.size.width - 1, 0))
        return Strip([*strip, self._bar_cell(y - 1)], strip.cell_length + 1)

    def _bar_cell(self, row: int) -> Segment:
        """The scroll bar's cell on screen row `row` of the rows (the header row is -1)."""
        visible = self._frame_visible or self._visible
        total = self._count or 0
        if row < 0 or total <= visible:
            return Segment(" ", self._style())
        thumb = max(1, visible * visible // total)
        start = self._top * (visible - thumb) // max(total - visible, 1)
        if start <= row < start + thumb:
            return Segment("┃", self._style("virtual-list--thumb"))
        return Segment(" ", self._style())

    def _content_line(self, y: int, width: int) -> Strip:
        if y == 0:
            return self._line([c.title for c in self.columns],
                              self._style("virtual-list--header"), width)
        index = self._top + y - 1
        if self._count is None:
            if y == 1:
                return self._line([_("Loading…")], self._style("virtual-list--placeholder"),
                                  width)
            return Strip.blank(width, self._style())
        if self._count == 0:
            if y == 1:
                return Strip([Segment(set_cell_size(self.empty_text or _("Nothing to show"),
                                                    width), self._style("virtual-list--muted"))])
            return Strip.blank(width, self._style())
        if index >= self._count:
            return Strip.blank(width, self._style())
        row = self.row_at(index)
        if row is None:
            self._want(index // self.page_size)
            return self._line(["…"], self._style("virtual-list--placeholder"), width)
        style = self._style(f"virtual-list--{row.style}" if row.style else None)
        if index == self.cursor:
            style = style + self._component("virtual-list--cursor")
        return self._row_line(row, style, width)

    # ------------------------------------------------------------- movement
    def watch_cursor(self, old: int, new: int) -> None:
        top = self._top
        self._scroll_cursor_into_view()
        if self._top == top:
            # Only the rows that lost and gained the cursor change: redrawing the whole list
            # sent every visible row to the terminal (5-7 KB a key over SSH, not ~1 KB).
            self._refresh_rows(old, new)
        self._announce()

    def _refresh_rows(self, *indexes: int) -> None:
        """Redraw the screen lines of rows `indexes` (those in view)."""
        width = self.size.width
        lines = [index - self._top + 1 for index in indexes]  # line 0 is the header
        regions = [Region(0, y, width, 1) for y in lines if 1 <= y <= self._visible]
        if regions:
            self.refresh(*regions)

    def _announce(self) -> None:
        self.post_message(self.Highlighted(self, self.cursor, self.highlighted_row))

    def _scroll_cursor_into_view(self) -> None:
        if self.cursor < self._top:
            self._show_from(self.cursor)
        elif self.cursor >= self._top + self._visible:
            self._show_from(self.cursor - self._visible + 1)

    def _move_to(self, index: int) -> None:
        count = self._count or 0
        self.cursor = max(0, min(index, count - 1)) if count else 0

    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor + direction * max(self.size.height - 2, 1))

    def action_edge(self, end: int) -> None:
        self._move_to((self._count or 0) - 1 if end else 0)

    def action_select(self) -> None:
        if self._count:
            self.post_message(self.Selected(self, self.cursor, self.highlighted_row))

    def on_mouse_scroll_down(self, event: Any) -> None:
        event.stop()
        self._move_to(self.cursor + 3)

    def on_mouse_scroll_up(self, event: Any) -> None:
        event.stop()
        self._move_to(self.cursor - 3)

    def on_click(self, event: Any) -> None:
        if event.y >= 1:
            self._move_to(self._top + event.y - 1)
