"""Export the report shown in a panel: its file types and a safe file writer (the path is
asked by screens/export_dialog.py)."""

from __future__ import annotations

from pathlib import Path

from crm_tui.atomic import replacing
from crm_tui.i18n import _, current_language
from crm_tui.reports.base import ReportResult
from crm_tui.reports.outputs import PLAIN, spreadsheet_style, to_csv, to_json, write_xlsx
from crm_tui.screens.shell.export_dialog import ExportError, check_destination

__all__ = ["ExportError", "export_format", "write_report"]

FORMATS = (".csv", ".xlsx", ".json")


def export_format(path: Path) -> str:
    """"csv", "xlsx" or "json" from the file extension; raises ExportError otherwise."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(_("Use a file name ending in .csv, .xlsx or .json"))
    return suffix[1:]


def write_report(result: ReportResult, path: Path, overwrite: bool = False,
                 for_spreadsheet: bool = False) -> None:
    """Write `result` to `path` (format from the extension) through a temporary file in the
    same folder, so an existing file is never left half-written; refuses to replace an
    existing file unless `overwrite`. A CSV file `for_spreadsheet` is written as the
    interface language's spreadsheets open it (reports/outputs.py: spreadsheet_style)."""
    fmt = export_format(path)
    check_destination(path, overwrite)
    try:
        with replacing(path) as temporary:
            if fmt == "xlsx":
                write_xlsx(result, temporary)
            else:
                style = spreadsheet_style(current_language()) if for_spreadsheet else PLAIN
                text = to_csv(result, style) if fmt == "csv" else to_json(result)
                temporary.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ExportError(str(error)) from error
