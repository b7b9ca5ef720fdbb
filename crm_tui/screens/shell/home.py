"""The home screen: every section with its key, and what needs attention today."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from crm_tui.domain import clock
from crm_tui.i18n import _
from crm_tui.screens.shell.base import SectionScreen
from crm_tui.sections import SECTIONS

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from crm_tui.store.repo_overview import Overview


class HomeScreen(SectionScreen):
    """Where the app opens."""

    SECTION = "home"
    CSS_PATH = "shell.tcss"

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="home-body"):
            with Vertical(id="home-sections", classes="home-panel") as sections:
                sections.border_title = _("Sections")
                yield Static(self._sections_text(), markup=False)
            with Vertical(id="home-today", classes="home-panel") as today:
                today.border_title = _("Today")
                yield Static(Text(_("Loading…")), id="home-overview", markup=False)

    def _sections_text(self) -> Text:
        """Each section's key and name in two columns. Plain text, not a Rich table: it is
        part of the first frame, and a table cost that frame several milliseconds to measure
        and render."""
        rows = [(section.key, _(section.title)) for section in SECTIONS[1:]]
        rows += [("F1", _("Help: every key")), ("Ctrl+P", _("Command palette"))]
        width = max(cell_len(key) for key, _title in rows)
        text = Text(end="")
        for number, (key, title) in enumerate(rows):
            if number:
                text.append("\n")
            text.append(key, style="bold")
            text.append(" " * (width - cell_len(key) + 2))
            text.append(title)
        return text

    def on_database_ready(self) -> None:
        self.load_overview()

    def load_overview(self) -> None:
        def read(connection: Connection) -> Overview:
            from crm_tui.store.repo_overview import overview

            return overview(connection, clock.now())

        # A plain connection: the overview is read before the ORM is imported.
        self.load_plain(read, self._show_overview)

    def _show_overview(self, data: Overview) -> None:
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right", style="bold")
        table.add_column()
        table.add_row(Text(str(data.partners)), Text(_("partners")))
        table.add_row(Text(str(data.open_deals)), Text(_("open deals")))
        table.add_row(Text(str(data.in_progress)), Text(_("interactions in progress")))
        table.add_row(Text(str(data.overdue), style="red" if data.overdue else ""),
                      Text(_("of them overdue")))
        table.add_row(Text(str(data.open_claims)), Text(_("open claims")))
        self.query_one("#home-overview", Static).update(table)
        self.call_after_refresh(self.crm.start_warm_up)

    def on_data_changed(self) -> None:
        self.load_overview()

    def on_screen_resume(self) -> None:
        # Changes made in this session (a deal won, a claim added) tell no other screen:
        # the counts are read again whenever Home comes back.
        if self.crm.db is not None and self.returning:
            self.load_overview()
