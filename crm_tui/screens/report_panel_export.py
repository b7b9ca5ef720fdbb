"""Export the report shown in a panel: a path dialog and a safe file writer."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Static

from crm_tui.domain.errors import DomainError
from crm_tui.domain.text import check_text
from crm_tui.i18n import N_, _
from crm_tui.reports.base import ReportResult
from crm_tui.reports.outputs import to_csv, to_json, write_xlsx
from crm_tui.screens.base import translate_bindings

FORMATS = (".csv", ".xlsx", ".json")


class ExportError(Exception):
    """The report cannot be written where asked (message for the user)."""


def export_format(path: Path) -> str:
    """"csv", "xlsx" or "json" from the file extension; raises ExportError otherwise."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(_("Use a file name ending in .csv, .xlsx or .json"))
    return suffix[1:]


def write_report(result: ReportResult, path: Path, overwrite: bool = False) -> None:
    """Write `result` to `path` (format from the extension) through a temporary file in the
    same folder, so an existing file is never left half-written; refuses to replace an
    existing file unless `overwrite`."""
    fmt = export_format(path)
    if path.exists() and not overwrite:
        raise ExportError(_("The file exists: {path}").format(path=path))
    if not path.parent.is_dir():
        raise ExportError(_("No such folder: {path}").format(path=path.parent))
    handle, temporary = tempfile.mkstemp(prefix=".crm-export-", dir=path.parent)
    os.close(handle)
    try:
        if fmt == "xlsx":
            write_xlsx(result, Path(temporary))
        else:
            text = to_csv(result) if fmt == "csv" else to_json(result)
            Path(temporary).write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        raise ExportError(str(error)) from error
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


class ExportDialog(ModalScreen[tuple[Path, bool] | None]):
    """Asks where to export; dismisses with (path, overwrite) or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="report_export.cancel"),
    ]
    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical {
        width: 70; max-width: 95%; height: auto; border: round $primary;
        background: $surface; padding: 0 1;
    }
    ExportDialog #export-error { color: $error; height: auto; }
    """

    def __init__(self, default_path: Path) -> None:
        super().__init__()
        translate_bindings(self)
        self.default_path = default_path

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = _("Export the report")
            box.border_subtitle = _("Enter exports · Esc cancels")
            yield Label(_("File (.csv, .xlsx or .json):"))
            yield Input(str(self.default_path), id="export-path")
            yield Checkbox(_("Replace an existing file"), id="export-overwrite")
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
            export_format(path)
        except (DomainError, ExportError) as problem:
            error.update(Text(str(problem)))
            return
        overwrite = self.query_one("#export-overwrite", Checkbox).value
        self.dismiss((path, overwrite))

    def action_cancel(self) -> None:
        self.dismiss(None)
