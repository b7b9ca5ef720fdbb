"""Legibility of what a real terminal shows: the cells of a `tmux capture-pane -p -e` capture
(text with SGR colour sequences) with their colours, and the contrast ratio of each visible
character with the colour behind it (WCAG's formula).

The terminal's own colours (SGR 39/49, or none set) are taken as a dark theme, light grey on
black, the common case. WCAG asks 4.5:1 for text; under 2:1 is unreadable, which is what the
tests fail on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

RGB = tuple[int, int, int]

DEFAULT_FG: RGB = (208, 208, 208)
DEFAULT_BG: RGB = (0, 0, 0)
UNREADABLE = 2.0
# The xterm palette of the 16 system colours.
SYSTEM: list[RGB] = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
    (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
    (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
]
SGR = re.compile(r"\x1b\[([0-9;:]*)m")
CUBE = (0, 95, 135, 175, 215, 255)


def xterm(index: int) -> RGB:
    """The colour of an entry of the 256-colour palette."""
    if index < 16:
        return SYSTEM[index]
    if index < 232:
        index -= 16
        return CUBE[index // 36], CUBE[(index // 6) % 6], CUBE[index % 6]
    grey = 8 + 10 * (index - 232)
    return grey, grey, grey


def luminance(colour: RGB) -> float:
    def channel(value: int) -> float:
        scaled = value / 255
        return scaled / 12.92 if scaled <= 0.03928 else ((scaled + 0.055) / 1.055) ** 2.4

    red, green, blue = colour
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: RGB, second: RGB) -> float:
    """WCAG contrast ratio, 1 (same colour) to 21 (black on white)."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@dataclass(frozen=True)
class Cell:
    char: str
    row: int
    column: int
    fg: RGB
    bg: RGB

    @property
    def ratio(self) -> float:
        return contrast(self.fg, self.bg)


class _Pen:
    """The SGR state: colours as set (None: the terminal's own) and reverse video."""

    def __init__(self) -> None:
        self.fg: RGB | None = None
        self.bg: RGB | None = None
        self.reverse = False

    def colours(self) -> tuple[RGB, RGB]:
        fg, bg = self.fg or DEFAULT_FG, self.bg or DEFAULT_BG
        return (bg, fg) if self.reverse else (fg, bg)

    def apply(self, parameters: str) -> None:
        codes = re.split("[;:]", parameters) if parameters else ["0"]
        i = 0
        while i < len(codes):
            code = int(codes[i] or 0)
            if code == 0:
                self.fg = self.bg = None
                self.reverse = False
            elif code == 7:
                self.reverse = True
            elif code == 27:
                self.reverse = False
            elif code in (38, 48) and i + 1 < len(codes):
                if codes[i + 1] == "5":
                    colour = xterm(int(codes[i + 2]))
                    i += 2
                else:
                    colour = (int(codes[i + 2]), int(codes[i + 3]), int(codes[i + 4]))
                    i += 4
                if code == 38:
                    self.fg = colour
                else:
                    self.bg = colour
            elif code == 39:
                self.fg = None
            elif code == 49:
                self.bg = None
            elif 30 <= code <= 37:
                self.fg = SYSTEM[code - 30]
            elif 90 <= code <= 97:
                self.fg = SYSTEM[code - 90 + 8]
            elif 40 <= code <= 47:
                self.bg = SYSTEM[code - 40]
            elif 100 <= code <= 107:
                self.bg = SYSTEM[code - 100 + 8]
            i += 1


def cells(capture: str) -> Iterator[Cell]:
    """Every character of a capture with the colours it is drawn in. (tmux carries the SGR
    state over line ends, so the pen is not reset per line.)"""
    pen = _Pen()
    for row, line in enumerate(capture.split("\n")):
        position, column = 0, 0
        for match in SGR.finditer(line + "\x1b[m"):
            fg, bg = pen.colours()
            for char in line[position:match.start()]:
                yield Cell(char, row, column, fg, bg)
                column += 1
            position = match.end()
            if match.start() < len(line):
                pen.apply(match.group(1))


def is_decoration(char: str) -> bool:
    """Spaces, box drawing and block elements: not text to read."""
    return char.isspace() or "\u2500" <= char <= "\u259f"


def unreadable(capture: str, threshold: float = UNREADABLE) -> list[Cell]:
    """The visible characters whose contrast with their background is under `threshold`."""
    return [cell for cell in cells(capture)
            if not is_decoration(cell.char) and cell.ratio < threshold]


def visible(capture: str) -> int:
    return sum(not is_decoration(cell.char) for cell in cells(capture))


def plain(capture: str) -> str:
    """The capture's text without its colours."""
    return SGR.sub("", capture)


def describe(bad: list[Cell], limit: int = 8) -> str:
    """Where the unreadable characters are: per row, the text and its colours."""
    rows: dict[int, list[Cell]] = {}
    for cell in bad:
        rows.setdefault(cell.row, []).append(cell)
    lines = []
    for row, row_cells in list(rows.items())[:limit]:
        first = row_cells[0]
        text = "".join(cell.char for cell in row_cells)
        lines.append(f"row {row} col {first.column}: {text!r} fg {first.fg} on bg {first.bg} "
                     f"({first.ratio:.2f}:1)")
    return "\n".join(lines)
