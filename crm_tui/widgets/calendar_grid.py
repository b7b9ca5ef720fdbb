"""A calendar grid on the line API: weekday headers over rows of day cells, one cell selected.

The grid only draws what it is given: `show(headers, cells, selected)` with one `Text` per
day (lines split on "\\n", each cut to its cell's width with an ellipsis) and the index of
the selected day; `select(index)` moves the selection. Texts are drawn as given (the caller
builds them from plain `Text`, never markup).

A Rich Table in a Static redrew the whole grid on every key (~10 KB over SSH). Here moving
the selection redraws the two cells that changed; each column of days is a widget of its
own because Textual sends a partial redraw from the left edge of the widget that holds it
(one grid widget sent whole lines of the grid, once per changed cell)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

COLUMNS = 7
# Lines of the layout that are not day cells: (kind, 0); a cell line is (row, line in row).
TOP, HEADER, SEPARATOR, BOTTOM = -1, -2, -3, -4
# The corners each kind of border line draws: (first column, other columns, the last's right).
EDGES = {TOP: "┌┬┐", SEPARATOR: "├┼┤", BOTTOM: "└┴┘"}


@dataclass
class GridLayout:
    """What the columns draw: the cells' lines, and which line of the grid is what."""

    headers: list[Text] = field(default_factory=list)
    cells: list[list[Text]] = field(default_factory=list)  # each cell's text split in lines
    lines: list[tuple[int, int]] = field(default_factory=list)  # per grid line: (row/kind, n)
    row_top: list[int] = field(default_factory=list)  # the grid line of each row's first line
    row_height: list[int] = field(default_factory=list)
    selected: int = 0

    @property
    def columns(self) -> int:
        return max(len(self.headers), 1)


class CalendarColumn(Widget):
    """One column of the grid (its left border, and the right one when it is the last)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "calendar-grid--border",
        "calendar-grid--header",
        "calendar-grid--cursor",
    }
    DEFAULT_CSS = """
    CalendarColumn { width: 1fr; height: auto; }
    CalendarColumn > .calendar-grid--border { color: $foreground-muted; }
    CalendarColumn > .calendar-grid--header { text-style: bold; }
    CalendarColumn > .calendar-grid--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    """

    def __init__(self, layout: GridLayout, index: int) -> None:
        super().__init__()
        self.grid = layout
        self.index = index
        self._fitted: dict[tuple[int, int], list[Strip]] = {}  # (cell, width) -> its lines
        self._styles: tuple[Style, Style, Style, Style] | None = None

    @property
    def last(self) -> bool:
        return self.index == self.grid.columns - 1

    def forget(self) -> None:
        """The cells changed: drop their fitted lines."""
        self._fitted.clear()

    def cell_region(self, row: int) -> Region:
        """The region of this column's cell in `row`, inside this widget."""
        inner = self.size.width - 1 - (1 if self.last else 0)
        return Region(1, self.grid.row_top[row], max(inner, 0), self.grid.row_height[row])

    def _look_up_styles(self) -> tuple[Style, Style, Style, Style]:
        """(base, border, header, cursor)."""
        base = self.rich_style
        return (base, base + self.get_component_rich_style("calendar-grid--border"),
                base + self.get_component_rich_style("calendar-grid--header"),
                self.get_component_rich_style("calendar-grid--cursor"))

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles are looked up once per frame: rich_style walks the ancestors.
        self._styles = self._look_up_styles()
        try:
            return super().render_lines(crop)
        finally:
            self._styles = None

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base, border, header, cursor = self._styles or self._look_up_styles()
        grid = self.grid
        if y >= len(grid.lines) or width < 2:
            return Strip.blank(width, base)
        inner = width - 1 - (1 if self.last else 0)
        kind, part = grid.lines[y]
        if kind in EDGES:
            corners = EDGES[kind]
            text = (corners[0] if self.index == 0 else corners[1]) + "─" * inner
            return Strip([Segment(text + (corners[2] if self.last else ""), border)], width)
        segments = [Segment("│", border)]
        if kind == HEADER:
            title = grid.headers[self.index].copy() if self.index < grid.columns else Text()
            title.truncate(inner, overflow="ellipsis", pad=True)
            segments += Segment.apply_style(title.render(self.app.console), header)
        else:
            segments += self._cell_line(kind * grid.columns + self.index, part, inner, base,
                                        cursor)
        if self.last:
            segments.append(Segment("│", border))
        return Strip(segments, width)

    def _cell_line(self, index: int, part: int, width: int, base: Style,
                   cursor: Style) -> list[Segment]:
        if index >= len(self.grid.cells):
            return [Segment(" " * width, base)]
        fitted = self._fitted.get((index, width))
        if fitted is None:
            fitted = []
            for line in self.grid.cells[index]:
                line = line.copy()
                line.truncate(width, overflow="ellipsis", pad=True)
                fitted.append(Strip(list(line.render(self.app.console)), width))
            self._fitted[(index, width)] = fitted
        strip = fitted[part] if part < len(fitted) else Strip.blank(width)
        post = cursor if index == self.grid.selected else None
        return list(Segment.apply_style(iter(strip), base, post))


class CalendarGrid(Widget):
    """Day cells in up to seven columns (7 for a week or a month, 1 for a day); scrolls when
    they are taller than the space given."""

    DEFAULT_CSS = """
    CalendarGrid { height: 1fr; layout: horizontal; overflow-x: hidden; overflow-y: auto;
                   background: $surface; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.layout_data = GridLayout()

    @property
    def selected(self) -> int:
        return self.layout_data.selected

    def compose(self) -> ComposeResult:
        for index in range(COLUMNS):
            yield CalendarColumn(self.layout_data, index)

    # ------------------------------------------------------------------ data
    def show(self, headers: Sequence[Text], cells: Sequence[Text], selected: int) -> None:
        """Draw a new period: every line of the grid changes."""
        grid = self.layout_data
        grid.headers = list(headers)
        grid.cells = [list(cell.split("\n", allow_blank=True)) for cell in cells]
        grid.selected = selected
        columns = grid.columns
        grid.lines = [(TOP, 0), (HEADER, 0), (SEPARATOR, 0)]
        grid.row_top, grid.row_height = [], []
        for row, first in enumerate(range(0, len(grid.cells), columns)):
            if row:
                grid.lines.append((SEPARATOR, 0))
            height = max(len(lines) for lines in grid.cells[first:first + columns])
            grid.row_top.append(len(grid.lines))
            grid.row_height.append(height)
            grid.lines += [(row, line) for line in range(height)]
        grid.lines.append((BOTTOM, 0))
        for column in self.query(CalendarColumn):
            column.forget()
            column.display = column.index < columns
            if column.styles.height is None or column.styles.height.value != len(grid.lines):
                column.styles.height = len(grid.lines)
            column.refresh()
        self._show_selected()

    def select(self, index: int) -> None:
        """Move the selection: only the cell that lost it and the one that gained it are
        redrawn (unless the new one has to be scrolled into view)."""
        grid = self.layout_data
        old, grid.selected = grid.selected, index
        if old == index:
            return
        top = self.scroll_offset.y
        self._show_selected()
        if self.scroll_offset.y != top:
            return  # scrolling redraws the grid
        columns = list(self.query(CalendarColumn))
        for cell in (old, index):
            if 0 <= cell < len(grid.cells):
                row, column = divmod(cell, grid.columns)
                columns[column].refresh(columns[column].cell_region(row))

    def _show_selected(self) -> None:
        grid = self.layout_data
        if not 0 <= grid.selected < len(grid.cells):
            return
        row = grid.selected // grid.columns
        # The cell and the border above it, so a short grid does not hide its header.
        top = grid.row_top[row] - 1
        self.scroll_to_region(Region(0, top, 1, grid.row_height[row] + 1), animate=False,
                              immediate=True)
