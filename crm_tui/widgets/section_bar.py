"""The row of sections under the header, with their keys; the current one stands out."""

from __future__ import annotations

from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from crm_tui.i18n import _
from crm_tui.sections import SECTIONS


class SectionBar(Static):
    """"0 Home  1 Partners  2 Deals …": every section named, with the key that opens it.

    When the terminal is too narrow for every name, the other sections' names are shortened
    (the current one stays whole)."""

    DEFAULT_CSS = """
    SectionBar { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, current: str) -> None:
        super().__init__(markup=False)
        self.current = current
        self._shown = ""

    def _bar(self, short: int | None) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for section in SECTIONS:
            name = _(section.title)
            if section.mode == self.current:
                text.append(f" {section.key} {name} ", style="bold reverse")
                continue
            if short is not None and len(name) > short:
                name = name[:short - 1] + "."
            text.append(f" {section.key}", style="bold")
            text.append(f" {name} ")
        return text

    def on_mount(self) -> None:
        self._fit(self.size.width or 200)

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        for short in (None, 8, 6, 4, 2):
            bar = self._bar(short)
            if bar.cell_len <= width:
                break
        if bar.plain != self._shown:  # an update lays out the whole screen: only on change
            self._shown = bar.plain
            self.update(bar)
