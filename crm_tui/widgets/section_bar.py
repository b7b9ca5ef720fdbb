"""The row of sections under the header, with their keys; the current one stands out."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from crm_tui.i18n import _
from crm_tui.sections import SECTIONS


class SectionBar(Static):
    """"0 Home  1 Partners  2 Deals …": every section named, with the key that opens it."""

    DEFAULT_CSS = """
    SectionBar { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, current: str) -> None:
        super().__init__(markup=False)
        self.current = current

    def on_mount(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        for section in SECTIONS:
            label = f" {section.key} {_(section.title)} "
            if section.mode == self.current:
                text.append(label, style="bold reverse")
            else:
                text.append(label[:2], style="bold")
                text.append(label[2:])
        self.update(text)
