"""The app header: product, section, database and the current user."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from crm_tui.i18n import _


class AppHeader(Horizontal):
    """One line: "crm-tui · Section" on the left, "database · user" on the right."""

    DEFAULT_CSS = """
    AppHeader { height: 1; background: $primary; color: $text; }
    AppHeader > #header-title { width: 1fr; text-style: bold; padding: 0 1; }
    AppHeader > #header-context { width: auto; padding: 0 1; }
    """

    def __init__(self, section: str) -> None:
        super().__init__()
        self.section = section

    def compose(self) -> ComposeResult:
        yield Static(Text(f"crm-tui · {self.section}"), id="header-title", markup=False)
        yield Static(self._context_text(), id="header-context", markup=False)

    def _context_text(self) -> Text:
        app = self.app
        database = getattr(app, "db_label", "")
        user = getattr(app, "user_login", "")
        return Text(_("{database} · user {user}").format(database=database, user=user))

    def refresh_context(self) -> None:
        self.query_one("#header-context", Static).update(self._context_text())
