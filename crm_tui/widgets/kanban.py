"""A keyboard-driven kanban board: columns of cards with a cursor.

The board only draws what it is given: the screen loads each column in a worker (its count
and sum, then pages of cards) and calls `set_column_data` / `append_cards`. When the cursor
nears the end of a column's loaded cards the board posts `NeedMore`. All text is plain
(segments with control characters stripped), never markup. Each column's part of the board
is a widget of its own on the line API (`KanbanColumnView`); moving the cursor redraws the
text of the two cards that lost and gained it (issue 24 §5: bytes, not CPU, set the pace
over a slow SSH link)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from crm_tui.domain.deals import show_amount
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _, current_language

CARD_LINES = 4
CARD_HEIGHT = CARD_LINES + 1
HEADER_LINES = 3
EDGE = 2  # a column's left border and the space after it, before the cards' text


class Card(Protocol):
    """What a card shows (store.repo_deals.DealCard fits)."""

    @property
    def key(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def partner(self) -> str: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def manager(self) -> str: ...
    @property
    def days_in_stage(self) -> int: ...
    @property
    def status(self) -> str: ...


@dataclass(frozen=True)
class ColumnSpec:
    """A column: its id (the stage id) and title (the stage name)."""

    id: int | None
    title: str


# A closed deal's card says so where an open one shows its days in the stage, in its
# own style: the board with "open and closed" tells them apart at a glance, colours or not.
CLOSED = {"won": (N_("✓ won"), "green"), "lost": (N_("✗ lost"), "dim strike")}


def _fit(text: str, width: int) -> str:
    text = safe_display(text)
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def fit_amount(amount: Decimal, width: int) -> str:
    """The amount in full when it fits `width` cells, else rounded in the language's short
    form ("37 млн", "37M"): a number is shortened, never cut."""
    full = show_amount(amount)
    if cell_len(full) <= width:
        return full
    from babel.numbers import format_compact_decimal  # only for the rare long amount

    short = format_compact_decimal(amount, locale=current_language(), fraction_digits=1)
    if cell_len(short) <= width:
        return short
    return format_compact_decimal(amount, locale=current_language(), fraction_digits=0)


class KanbanColumn:
    """One column's state: a header with the count and sum, then cards, then "+K more".

    Its `KanbanColumnView` draws it, borders included, on Textual's line API: five columns
    bordered by CSS cost about 30 ms a frame to draw."""

    def __init__(self, spec: ColumnSpec, index: int) -> None:
        self.spec = spec
        self.index = index
        self.cards: list[Card] = []
        self.count: int | None = None
        self.total: Decimal = Decimal(0)
        self.cursor = 0
        self.top = 0
        self.active = False
        self.height = 0  # content lines when last drawn
        self._cache_key: tuple[object, ...] | None = None
        self._cache: list[Strip] = []

    def visible_cards(self, height: int | None = None) -> int:
        return max(((self.height if height is None else height) - HEADER_LINES - 1)
                   // CARD_HEIGHT, 1)

    def scroll_into_view(self, height: int) -> None:
        visible = self.visible_cards(height)
        if self.cursor < self.top:
            self.top = self.cursor
        elif self.cursor >= self.top + visible:
            self.top = self.cursor - visible + 1
        self.top = max(min(self.top, max(len(self.cards) - visible, 0)), 0)

    def lines(self, width: int, height: int, base: Style, currency: str = "") -> list[Strip]:
        """The column's content lines, built once per change of what it shows (the sum
        followed by `currency`)."""
        width = max(width, 1)
        self.height = height
        key = (width, height, self.spec.title, self.count, self.total, id(self.cards),
               len(self.cards), self.cursor, self.top, self.active, base, currency)
        if key == self._cache_key:
            return self._cache

        def line(text: str, *styles: str) -> Strip:
            style = base + Style.parse(" ".join(styles)) if styles else base
            return Strip([Segment(set_cell_size(text, width), style)], width)

        lines = [line(_fit(self.spec.title, width), "bold")]
        if self.count is None:
            lines.append(line(_("Loading…"), "dim"))
        else:
            # The company currency follows the sum when there is room for both.
            suffix = f" {currency}" if currency else ""
            room = width - cell_len(_("{count} · {total}").format(count=self.count, total=""))
            total = fit_amount(self.total, room - cell_len(suffix)) + suffix
            if cell_len(total) > room:
                total = fit_amount(self.total, room)
            lines.append(line(_("{count} · {total}").format(count=self.count, total=total),
                              "italic"))
        lines.append(line("─" * width, "dim"))
        self.scroll_into_view(height)
        visible = self.visible_cards(height)
        for position in range(self.top, min(self.top + visible, len(self.cards))):
            card = self.cards[position]
            selected = ("reverse",) if self.active and position == self.cursor else ()
            closed = CLOSED.get(card.status)
            look = (closed[1], *selected) if closed else selected
            amount = fit_amount(card.amount, width)
            days = _(closed[0]) if closed else _("{n} d").format(n=card.days_in_stage)
            gap = width - cell_len(amount) - cell_len(days)
            # The amount is never cut: the days (or the outcome) give way when narrow. Two
            # spaces at least: the ru amount has single (no-break) spaces between its digit
            # groups, so "3 629 156,11 326 дн." would read as one number.
            tail = " " * gap + days if gap >= 2 else ""
            lines += [line(_fit(card.name, width), "bold", *look),
                      line(_fit(card.partner, width), *look),
                      line(amount + tail, *look),
                      line(_fit(card.manager, width), "dim", *look),
                      line("")]
        more = (self.count or 0) - len(self.cards)
        if more > 0:
            while len(lines) < HEADER_LINES + visible * CARD_HEIGHT:
                lines.append(line(""))
            lines.append(line(_("+{n} more").format(n=more), "dim"))
        elif self.count == 0:
            lines.append(line(_("No deals"), "dim"))
        self._cache_key, self._cache = key, lines[:height]
        return self._cache

    def plain_lines(self) -> list[str]:
        """The content as last drawn, as plain text (for tests and debugging)."""
        return [strip.text for strip in self._cache]


class KanbanColumnView(Widget):
    """A column's part of the board on the line API, drawn from its `KanbanColumn`: from the
    start of its cards' text to the start of the next column's (its right border and the
    next column's left edge included); the first column's left edge ("│ ") is a view of
    its own (`column` None).

    Textual sends a partial redraw from the left edge of the widget holding the region to
    the region's right edge: with one widget for the board a card in the fifth column sent
    the four columns left of it too, and with a widget per column every card line its left
    border. Each widget's every line costs Textual's own work in a full frame of the board
    (three widgets a column made it ten times main's): n+1 widgets, not more."""

    DEFAULT_CSS = "KanbanColumnView { width: 1fr; height: 1fr; }"

    def __init__(self, board: KanbanBoard, column: KanbanColumn | None,
                 following: KanbanColumn | None) -> None:
        super().__init__()
        self.board = board
        self.column = column
        self.following = following  # the column whose left edge ends this view
        self._frame: tuple[int, int, bool, tuple[Style, Style, Style]] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles and sizes are looked up once per frame: rich_style walks the
        # ancestors, and a widget's size is worked out anew on each call.
        self._frame = self._look_up()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _look_up(self) -> tuple[int, int, bool, tuple[Style, Style, Style]]:
        width, height = self.size
        return width, height, self.board.size.width < 4, self.board.column_styles()

    def render_line(self, y: int) -> Strip:
        width, height, too_narrow, (base, border, active) = self._frame or self._look_up()
        outer = self.board.column_width(self.column) if self.column is not None else 0
        if too_narrow or width < 1 or (self.column is not None and outer < 4):
            return Strip.blank(width, base)
        segments: list[Segment] = []
        column, following = self.column, self.following
        if column is not None:
            edge = active if column.active else border
            if y == 0 or y == height - 1:
                corner = "╮" if y == 0 else "╯"
                segments.append(Segment("─" * (outer - 3) + corner, edge))
            else:
                lines = column.lines(outer - 4, height - 2, base, self.board.currency)
                row = list(lines[y - 1]) if y - 1 < len(lines) else \
                    [Segment(" " * (outer - 4), base)]
                last = row[-1]
                # The space before the border joins the text when their styles agree: each
                # segment costs its own colour codes.
                row[-1:] = [Segment(last.text + " ", base)] if last.style == base else \
                    [last, Segment(" ", base)]
                segments += [*row, Segment("│", edge)]
        if following is not None:
            edge = active if following.active else border
            if y == 0 or y == height - 1:
                segments.append(Segment("╭─" if y == 0 else "╰─", edge))
            else:
                segments += [Segment("│", edge), Segment(" ", base)]
        return Strip(segments, width)

    def card_lines(self, *positions: int) -> list[Region]:
        """Where the text of the cards at `positions` (those in view) is drawn: not their
        blank last line nor what follows the text (neither ever changes)."""
        column = self.column
        if column is None:
            return []
        visible = column.visible_cards()
        text = max(self.board.column_width(column) - 2 * EDGE, 1)
        return [Region(0, 1 + HEADER_LINES + (position - column.top) * CARD_HEIGHT,
                       text, CARD_LINES)
                for position in positions if column.top <= position < column.top + visible]

    def cards_in_view(self) -> list[Region]:
        """Where every card in view is drawn (after a scroll: the header, the blank lines
        between the cards and "+K more" stay)."""
        column = self.column
        if column is None:
            return []
        return self.card_lines(*range(column.top, column.top + column.visible_cards()))


class KanbanBoard(Widget, can_focus=True):
    """Columns side by side; arrows move between cards and columns."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "cursor(-5)", show=False),
        Binding("pagedown", "cursor(5)", show=False),
        Binding("left", "column(-1)", show=False),
        Binding("right", "column(1)", show=False),
        Binding("enter", "select", show=False),
    ]
    DEFAULT_CSS = """
    KanbanBoard { height: 1fr; layout: horizontal; }
    KanbanBoard > .kanban--border { color: $panel; }
    KanbanBoard > .kanban--border-active { color: $accent; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"kanban--border", "kanban--border-active"}
    PREFETCH = 3

    class Highlighted(Message):
        """The cursor is on `card` (None: an empty column)."""

        def __init__(self, board: KanbanBoard, column: int, card: Card | None) -> None:
            super().__init__()
            self.board = board
            self.column = column
            self.card = card

    class Selected(Highlighted):
        """Enter on a card."""

    class NeedMore(Message):
        """The cursor nears the end of the loaded cards of `column`."""

        def __init__(self, board: KanbanBoard, column: int) -> None:
            super().__init__()
            self.board = board
            self.column = column

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.active_column = 0
        self._columns: list[KanbanColumn] = []
        self._views: list[KanbanColumnView] = []  # the first column's left edge, then each
        self._widths: list[int] = []
        self.currency = ""  # the company currency, shown beside the columns' sums

    @property
    def columns(self) -> list[KanbanColumn]:
        return list(self._columns)

    async def set_columns(self, specs: Sequence[ColumnSpec]) -> None:
        """Replace the columns (counts and cards arrive later)."""
        self._columns = [KanbanColumn(spec, i) for i, spec in enumerate(specs)]
        await self.remove_children()
        columns = self._columns
        self._views = [KanbanColumnView(self, None, columns[0] if columns else None)] + [
            KanbanColumnView(self, column, columns[i + 1] if i + 1 < len(columns) else None)
            for i, column in enumerate(columns)]
        await self.mount_all(self._views)
        self._size_columns()
        self.active_column = 0
        self._mark_active()

    # ------------------------------------------------------------- drawing
    def on_resize(self) -> None:
        self._size_columns()

    def _size_columns(self) -> None:
        """Each column gets an equal share of the width, the last one the rest (as one
        widget drew them before: 1fr shares the remainder out differently); of a column,
        each column's view runs from its text to the next one's."""
        width = self.size.width
        if not self._columns or not self._views or not width:
            return
        count = len(self._columns)
        share = width // count
        self._widths = [width - share * position if position == count - 1 else share
                        for position in range(count)]
        edge = min(EDGE, width)
        self._views[0].styles.width = edge
        for position, view in enumerate(self._views[1:]):
            last = position == count - 1
            view.styles.width = max(self._widths[position] - edge + (0 if last else edge), 0)

    def column_width(self, column: KanbanColumn | None) -> int:
        """The width of `column`, borders included."""
        if column is None or column.index >= len(self._widths):
            return 0
        return self._widths[column.index]

    def column_styles(self) -> tuple[Style, Style, Style]:
        """The columns' base style, border and the active column's border."""
        base = self.rich_style
        return (base, base + self.get_component_rich_style("kanban--border"),
                base + self.get_component_rich_style("kanban--border-active"))

    def set_currency(self, code: str) -> None:
        """The company currency, shown after each column's sum (the board is redrawn only
        when it changed: a whole board's frame costs ~30 ms)."""
        if code != self.currency:
            self.currency = code
            self._refresh_all()

    def column(self, index: int) -> KanbanColumn | None:
        columns = self.columns
        return columns[index] if 0 <= index < len(columns) else None

    @property
    def current_card(self) -> Card | None:
        column = self.column(self.active_column)
        if column is None or not column.cards:
            return None
        return column.cards[min(column.cursor, len(column.cards) - 1)]

    def set_column_data(self, index: int, count: int, total: Decimal,
                        cards: Sequence[Card], keep_key: str | None = None) -> None:
        """A column's count, sum and first cards (the cursor stays on `keep_key` if present)."""
        column = self.column(index)
        if column is None:
            return
        column.count, column.total, column.cards = count, total, list(cards)
        keys = [card.key for card in column.cards]
        if keep_key in keys:
            column.cursor = keys.index(keep_key)
        column.cursor = min(column.cursor, max(len(column.cards) - 1, 0))
        self._refresh_columns(column)
        if index == self.active_column:
            self._announce()

    def append_cards(self, index: int, cards: Sequence[Card]) -> None:
        column = self.column(index)
        if column is None:
            return
        known = {card.key for card in column.cards}
        column.cards.extend(card for card in cards if card.key not in known)
        self._refresh_columns(column)

    def _mark_active(self) -> None:
        for column in self._columns:
            column.active = column.index == self.active_column
        self._refresh_all()

    def _announce(self) -> None:
        self.post_message(self.Highlighted(self, self.active_column, self.current_card))

    def action_cursor(self, delta: int) -> None:
        column = self.column(self.active_column)
        if column is None or not column.cards:
            return
        old_cursor, old_top = column.cursor, column.top
        column.cursor = max(0, min(column.cursor + delta, len(column.cards) - 1))
        if column.height:
            column.scroll_into_view(column.height)
        body = self._body(column)
        if column.height and column.top == old_top:
            # Only the cards that lost and gained the cursor change: redrawing the board
            # sent every card to the terminal (~25 KB a key over SSH).
            self._refresh_cards(column, old_cursor, column.cursor)
        elif column.height and body is not None:
            # Scrolled: every card in view moved, the header and "+K more" did not.
            body.refresh(*body.cards_in_view())
        else:
            self._refresh_columns(column)
        if column.cursor >= len(column.cards) - self.PREFETCH and \
                len(column.cards) < (column.count or 0):
            self.post_message(self.NeedMore(self, self.active_column))
        self._announce()

    def action_column(self, delta: int) -> None:
        count = len(self.columns)
        if not count:
            return
        before = self.column(self.active_column)
        self.active_column = max(0, min(self.active_column + delta, count - 1))
        for column in self._columns:
            column.active = column.index == self.active_column
        # Both columns' borders change colour on every line: each is redrawn whole.
        self._refresh_columns(*{c for c in (before, self.column(self.active_column)) if c})
        self._announce()

    def _body(self, column: KanbanColumn) -> KanbanColumnView | None:
        return self._views[column.index + 1] if column.index + 1 < len(self._views) else None

    def _refresh_columns(self, *columns: KanbanColumn) -> None:
        """Redraw `columns` whole (their left edge is drawn by the view before)."""
        views = {index for column in columns for index in (column.index, column.index + 1)}
        for index in sorted(views):
            if index < len(self._views):
                self._views[index].refresh()

    def _refresh_cards(self, column: KanbanColumn, *positions: int) -> None:
        """Redraw the text of the cards at `positions` of `column` (those in view)."""
        body = self._body(column)
        regions = body.card_lines(*positions) if body is not None else []
        if body is not None and regions:
            body.refresh(*regions)

    def _refresh_all(self) -> None:
        for view in self._views:
            view.refresh()

    def focus_column(self, index: int, key: str | None = None) -> None:
        """Make column `index` active (and put its cursor on `key` when loaded)."""
        self.active_column = index
        column = self.column(index)
        if column is not None and key is not None:
            keys = [card.key for card in column.cards]
            if key in keys:
                column.cursor = keys.index(key)
        self._mark_active()
        self._announce()

    def action_select(self) -> None:
        card = self.current_card
        if card is not None:
            self.post_message(self.Selected(self, self.active_column, card))
