"""The help screen: every key of the app and of the screen underneath."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from crm_tui.i18n import _
from crm_tui.sections import SECTIONS
from crm_tui.widgets.bindings import translate_bindings


class HelpScreen(ModalScreen[None]):
    """Lists the keys; Esc or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss", show=False),
    ]
    CSS_PATH = "shell.tcss"

    def __init__(self, screen_keys: list[tuple[str, str]]) -> None:
        super().__init__()
        translate_bindings(self)
        self.screen_keys = screen_keys

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = _("Keys")
            scroll.border_subtitle = _("Esc closes")
            yield Static(self._table(), markup=False)

    def _table(self) -> Table:
        table = Table(show_header=True, header_style="bold", expand=True, box=None)
        table.add_column(_("Key"), style="bold", no_wrap=True)
        table.add_column(_("Action"))
        table.add_row(Text(_("Everywhere")), Text(""), style="underline")
        for section in SECTIONS:
            table.add_row(Text(section.key), Text(_("Open section: {name}").format(
                name=_(section.title))))
        for key, action in (
            ("F1", _("This help")),
            ("Ctrl+P", _("Command palette: sections and commands by name")),
            ("F2", _("Switch language (ru / en)")),
            ("Ctrl+Q", _("Quit")),
            ("↑ ↓ PgUp PgDn Home End", _("Move in lists")),
            ("Enter", _("Open the selected item")),
            ("Tab / Shift+Tab", _("Next / previous field")),
            ("Esc", _("Back / close")),
        ):
            table.add_row(Text(key), Text(action))
        if self.screen_keys:
            table.add_row(Text(_("This screen")), Text(""), style="underline")
            for key, description in self.screen_keys:
                table.add_row(Text(key), Text(description))
        return table
