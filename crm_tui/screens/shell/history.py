"""The change history of one record: when, who, what action, which field, old and new."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from crm_tui.domain.formatting import show_moment
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import CrmModal
from crm_tui.screens.shell.history_view import field_label, value_text
from crm_tui.widgets.key_bar import KeyBar
from crm_tui.widgets.table_fill import fill_table

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm_tui.store.audit import HistoryEntry

ACTION_LABELS: dict[str, str] = {
    "insert": N_("created"),
    "update": N_("changed"),
    "delete": N_("deleted"),
    "post": N_("posted"),
    "unpost": N_("un-posted"),
    "import": N_("imported"),
}
LIMIT = 500
_CELL = 60  # long texts are cut in the table; the full value is in the status line
COLUMNS = (N_("When"), N_("Who"), N_("Action"), N_("Field"), N_("Old value"), N_("New value"))


def _cell(value: str | None, width: int = _CELL) -> Text:
    """User data as a table cell: never markup, no control characters, bounded width."""
    if value is None:
        return Text("—", style="dim")
    shown = safe_display(value)
    if len(shown) > width:
        shown = shown[: width - 1] + "…"
    return Text(shown)


class HistoryScreen(CrmModal[None]):
    """A modal table of a record's changes, newest first (at most LIMIT rows)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Back"), id="history.close"),
    ]
    CSS_PATH = "shell.tcss"

    def __init__(self, entity: str, key: str) -> None:
        super().__init__()
        self.entity = entity
        self.key = key
        self.entries: list[HistoryEntry] = []
        self.names: dict[tuple[str, str], str] = {}
        self.loaded = False

    def compose(self) -> ComposeResult:
        with Vertical():
            title = _("Change history: {key}").format(key=safe_display(self.key))
            yield Static(Text(title), id="history-title", markup=False)
            table: DataTable[Text] = DataTable(id="history-table", cursor_type="row",
                                               zebra_stripes=True)
            yield table
            yield Static(Text(_("Loading…")), id="history-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        fill_table(table, [_(label) for label in COLUMNS], [])
        table.focus()
        self.load()

    def load(self) -> None:
        """Read the history in a worker; the event loop only shows it."""
        if self.crm.db is None:
            self._show_error(_("The database is not open yet."))
            return

        entity = self.entity
        key = self.key

        def read(session: Session) -> tuple[list[HistoryEntry], dict[tuple[str, str], str]]:
            from crm_tui.store.audit import history
            from crm_tui.store.history_names import value_names

            entries = history(session, entity, key, limit=LIMIT)
            return entries, value_names(session, entity, entries)

        self.load_data(read, self._show, on_error=lambda error: self._show_error(str(error)))

    def _show_error(self, message: str) -> None:
        self.query_one("#history-status", Static).update(Text(message, style="red"))

    def _show(self, loaded: tuple[list[HistoryEntry], dict[tuple[str, str], str]]) -> None:
        entries, self.names = loaded
        self.entries = entries
        self.loaded = True
        fill_table(self.query_one(DataTable), [_(label) for label in COLUMNS], [
            (Text(show_moment(entry.at, seconds=True)),
             _cell(entry.user, 20),
             Text(_(ACTION_LABELS.get(entry.action, entry.action))),
             _cell(field_label(entry.field) if entry.field else None, 24),
             _cell(value_text(entry.field or "", entry.old, self.names)),
             _cell(value_text(entry.field or "", entry.new, self.names)))
            for entry in entries])
        if entries:
            status = _("{count} change(s), newest first").format(count=len(entries))
            if len(entries) >= LIMIT:
                status = _("the newest {count} changes").format(count=LIMIT)
        else:
            status = _("No changes recorded for this record.")
        self.query_one("#history-status", Static).update(Text(status))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Show the full old and new values of the highlighted change."""
        index = event.cursor_row
        if not 0 <= index < len(self.entries):
            return
        entry = self.entries[index]
        if entry.field is None:
            return
        line = Text()
        line.append(safe_display(field_label(entry.field)), style="bold")
        line.append(": ")
        line.append(safe_display(value_text(entry.field, entry.old, self.names) or "—"))
        line.append(" → ")
        line.append(safe_display(value_text(entry.field, entry.new, self.names) or "—"))
        self.query_one("#history-status", Static).update(line)

    def action_close(self) -> None:
        self.dismiss(None)
