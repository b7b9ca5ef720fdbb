"""The dialog asking where to write an export (a report, the calendar): a path, whether an
existing file may be replaced, and the reason next to the field when the path will not do."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Static

from crm_tui.domain.errors import DomainError
from crm_tui.domain.text import check_text
from crm_tui.i18n import N_, _, current_language
from crm_tui.screens.shell.base import CrmModal


class ExportError(Exception):
    """The export cannot be written where asked (message for the user)."""


def check_destination(path: Path, overwrite: bool) -> None:
    """Raises ExportError when `path` exists (and may not be replaced) or has no folder."""
    if path.exists() and not overwrite:
        raise ExportError(_("The file exists: {path}").format(path=path))
    if not path.parent.is_dir():
        raise ExportError(_("No such folder: {path}").format(path=path.parent))


class ExportDialog(CrmModal[tuple[Path, bool] | None]):
    """Asks where to export; dismisses with (path, replace an existing file) or None.

    `check` raises ExportError for a path it refuses (e.g. the wrong file type). With
    `spreadsheet_choice`, a checkbox asks whether a CSV file is for a spreadsheet (column
    titles, a BOM; in Russian semicolons and decimal commas): ticked by default in Russian,
    whose spreadsheets cannot open the plain form; the answer is `for_spreadsheet`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="export.cancel"),
    ]
    CSS_PATH = "shell.tcss"

    def __init__(self, default_path: Path, *, title: str, prompt: str,
                 check: Callable[[Path], object], spreadsheet_choice: bool = False) -> None:
        super().__init__()
        self.spreadsheet_choice = spreadsheet_choice
        self.for_spreadsheet = spreadsheet_choice and current_language() == "ru"
        self.default_path = default_path
        self.title_text = title
        self.prompt = prompt
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            box.border_subtitle = _("Enter exports · Esc cancels")
            yield Label(Text(self.prompt))
            yield Input(str(self.default_path), id="export-path")
            yield Checkbox(_("Replace an existing file"), id="export-overwrite")
            if self.spreadsheet_choice:
                yield Checkbox(_("CSV for a spreadsheet (column titles; in Russian semicolons "
                                 "and decimal commas)"), self.for_spreadsheet,
                               id="export-spreadsheet")
            yield Static("", id="export-error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        error = self.query_one("#export-error", Static)
        try:
            check_text(text, _("File"))
            if not text:
                raise ExportError(_("Type a file name"))
            path = Path(text).expanduser()
            self.check(path)
        except (DomainError, ExportError) as problem:
            error.update(Text(str(problem)))
            return
        overwrite = self.query_one("#export-overwrite", Checkbox).value
        if self.spreadsheet_choice:
            self.for_spreadsheet = self.query_one("#export-spreadsheet", Checkbox).value
        self.dismiss((path, overwrite))

    def action_cancel(self) -> None:
        self.dismiss(None)
