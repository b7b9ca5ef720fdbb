"""A one-line status (counts, filters) that repaints without a layout pass.

Textual's Static asks for a layout of the whole screen on every update, since its size may
change; a status line is always one line of the width it is given, so an update only
repaints it (measured: a layout pass of a list screen costs several milliseconds)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class StatusLine(Widget):
    """One line of plain text (never markup); `update` repaints it."""

    DEFAULT_CSS = """
    StatusLine { height: 1; width: 1fr; }
    """

    def __init__(self, text: str | Text = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text(text) if isinstance(text, str) else text

    @property
    def text(self) -> Text:
        """What the line shows."""
        return self._text

    def update(self, text: str | Text) -> None:
        self._text = Text(text) if isinstance(text, str) else text
        self.refresh()

    def render(self) -> Text:
        line = self._text.copy()
        line.no_wrap, line.overflow = True, "ellipsis"
        return line
