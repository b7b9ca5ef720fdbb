"""The app header: product, section, database and the current user."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from crm_tui.i18n import _


class AppHeader(Horizontal):
    """One line: "crm-tui · Section", then the database (cut first when space is short),
    then the user."""

    DEFAULT_CSS = """
    AppHeader { height: 1; background: $primary; color: $text; }
    AppHeader > #header-title { width: auto; text-style: bold; padding: 0 1; }
    AppHeader > #header-database { width: 1fr; text-align: right; }
    AppHeader > #header-user { width: auto; padding: 0 1; }
    """

    def __init__(self, section: str) -> None:
        super().__init__()
        self.section = section

    def compose(self) -> ComposeResult:
        yield Static(Text(f"crm-tui · {self.section}"), id="header-title", markup=False)
        yield Static(self._database_text(), id="header-database", markup=False)
        yield Static(self._user_text(), id="header-user", markup=False)

    def _database_text(self) -> Text:
        return Text(str(getattr(self.app, "db_label", "")), no_wrap=True, overflow="ellipsis")

    def _user_text(self) -> Text:
        return Text(_("· user {user}").format(user=getattr(self.app, "user_login", "")))

    def refresh_context(self) -> None:
        self.query_one("#header-database", Static).update(self._database_text())
        self.query_one("#header-user", Static).update(self._user_text())
