"""Bar charts drawn with block characters: a narrowing funnel, ranked bars, stacked bars.

Each chart is a Rich renderable that fits the width it is given; the `*_lines(width)`
functions build the lines (as `rich.text.Text`, never markup) so they can be tested without
a terminal. Labels are user data: control characters are stripped, nothing is parsed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from crm_tui.domain.text import safe_display

FULL = "█"
DASH = "—"
LABEL_MAX = 24
MIN_BAR = 8


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value, and a note shown after it (e.g. "86.2%")."""

    label: str
    value: float
    note: str = ""


@dataclass(frozen=True)
class Segment:
    """One part of a stacked bar: its value and its style."""

    value: float
    style: str


@dataclass(frozen=True)
class Stack:
    """One stacked bar: its label and its segments (in legend order)."""

    label: str
    segments: tuple[Segment, ...]


def _label_width(labels: Sequence[str], width: int) -> int:
    widest = max((cell_len(safe_display(label)) for label in labels), default=0)
    return max(1, min(widest, LABEL_MAX, max(width // 3, 1)))


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u00a0") if value == int(value) else f"{value:,.1f}"


def _length(value: float, largest: float, room: int) -> int:
    """Cells of a bar for `value` when `largest` fills `room` (at least one for a non-zero)."""
    if value <= 0 or largest <= 0 or room <= 0:
        return 0
    return max(1, round(room * value / largest))


def _layout(bars: Sequence[Bar], width: int) -> tuple[int, int, int, int]:
    """(label, bar room, value, note) widths that fit `width`."""
    label = _label_width([bar.label for bar in bars], width)
    value = max((cell_len(_number(bar.value)) for bar in bars), default=1)
    note = max((cell_len(bar.note) for bar in bars), default=0)
    gaps = 3 if note else 2
    room = max(width - label - value - note - gaps, MIN_BAR if width >= 40 else 1)
    return label, room, value, note


def _row(label: str, label_width: int, bar: Text, value: str, value_width: int,
         note: str, note_width: int) -> Text:
    line = Text(set_cell_size(safe_display(label), label_width))
    line.append(" ")
    line.append_text(bar)
    line.append(" ")
    line.append(value.rjust(value_width), style="bold")
    if note_width:
        line.append(" ")
        line.append(note.rjust(note_width), style="dim")
    return line


def _aligned_bars(bars: Sequence[Bar], width: int, style: str, centred: bool) -> list[Text]:
    """One line per bar, scaled to the largest; centred bars make the funnel's shape."""
    if not bars:
        return []
    label_w, room, value_w, note_w = _layout(bars, width)
    largest = max(bar.value for bar in bars)
    lines: list[Text] = []
    for bar in bars:
        length = _length(bar.value, largest, room)
        left = (room - length) // 2 if centred else 0
        drawn = Text(" " * left)
        drawn.append(FULL * length, style=style)
        drawn.append(" " * (room - length - left))
        lines.append(_row(bar.label, label_w, drawn, _number(bar.value), value_w,
                          bar.note, note_w))
    return lines


def funnel_lines(bars: Sequence[Bar], width: int, style: str = "cyan") -> list[Text]:
    """The funnel: each bar centred in the same room, so the shape narrows downwards."""
    return _aligned_bars(bars, width, style, centred=True)


def bar_lines(bars: Sequence[Bar], width: int, style: str = "cyan") -> list[Text]:
    """Left-aligned bars in the given order (ranked bars when sorted by value)."""
    return _aligned_bars(bars, width, style, centred=False)


def stacked_lines(stacks: Sequence[Stack], width: int,
                  legend: Sequence[tuple[str, str]] = ()) -> list[Text]:
    """Stacked bars (segment lengths proportional to the largest total), with a legend line
    of (title, style) pairs first when given."""
    lines: list[Text] = []
    if legend:
        line = Text()
        for title, style in legend:
            if line:
                line.append("  ")
            line.append(FULL * 2, style=style)
            line.append(" " + safe_display(title))
        lines.append(line)
    if not stacks:
        return lines
    totals = [sum(segment.value for segment in stack.segments) for stack in stacks]
    as_bars = [Bar(stack.label, total) for stack, total in zip(stacks, totals, strict=True)]
    label_w, room, value_w, _note = _layout(as_bars, width)
    largest = max(totals)
    for stack, total in zip(stacks, totals, strict=True):
        full = _length(total, largest, room)
        drawn = Text()
        used = 0
        running = 0.0
        for segment in stack.segments:
            running += segment.value
            # Cumulative rounding: the segments add up exactly to the full length.
            end = round(full * running / total) if total else 0
            if segment.value > 0:  # a non-zero part stays visible
                end = max(end, used + 1)
            end = min(end, full)
            drawn.append(FULL * (end - used), style=segment.style)
            used = end
        drawn.append(" " * (room - used))
        lines.append(_row(stack.label, label_w, drawn, _number(total), value_w, "", 0))
    return lines


class _Chart:
    """A Rich renderable drawing its lines at the width it is given."""

    def lines(self, width: int) -> list[Text]:
        raise NotImplementedError

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(options.max_width):
            line.no_wrap = True
            line.overflow = "crop"
            yield line


class FunnelChart(_Chart):
    """A narrowing funnel of horizontal bars with their conversion percentages."""

    def __init__(self, bars: Sequence[Bar], style: str = "cyan") -> None:
        self.bars = list(bars)
        self.style = style

    def lines(self, width: int) -> list[Text]:
        return funnel_lines(self.bars, width, self.style)


class BarChart(_Chart):
    """Horizontal bars in the given order (ranked when the bars are sorted)."""

    def __init__(self, bars: Sequence[Bar], style: str = "cyan") -> None:
        self.bars = list(bars)
        self.style = style

    def lines(self, width: int) -> list[Text]:
        return bar_lines(self.bars, width, self.style)


class StackedChart(_Chart):
    """Stacked horizontal bars with a legend."""

    def __init__(self, stacks: Sequence[Stack], legend: Sequence[tuple[str, str]]) -> None:
        self.stacks = list(stacks)
        self.legend = list(legend)

    def lines(self, width: int) -> list[Text]:
        return stacked_lines(self.stacks, width, self.legend)
