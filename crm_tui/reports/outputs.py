"""Render a ReportResult: a Rich table for people, CSV, JSON, or an xlsx workbook.

JSON and CSV carry the exact values (money as strings with 2 fraction digits); the table
and the workbook format them for reading. Text that a spreadsheet would run as a formula is
guarded in CSV and written as a text cell in the workbook (domain/spreadsheet.py); the table
shows control characters escaped (another user of a shared database may have stored any)."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crm_tui.domain.formatting import show_date, show_money, show_tenths
from crm_tui.domain.money import format_exchange
from crm_tui.domain.spreadsheet import guard_cell, needs_guard
from crm_tui.domain.text import escape_controls
from crm_tui.i18n import _
from crm_tui.reports.base import Column, ReportResult

if TYPE_CHECKING:  # Rich is imported by the table output only: JSON and CSV do without it
    from rich.console import Console
    from rich.table import Table

DASH = "—"
BAR_WIDTH = 16
XLSX_FORMATS = {"money": "#,##0.00", "percent": "0.0%", "days": "0.0", "int": "0"}
# json.dumps leaves DEL and the C1 controls raw; escaped, the JSON reaches a terminal safely.
_JSON_RAW_CONTROLS = re.compile("[\x7f-\x9f]")
# Characters an xlsx file cannot hold (openpyxl refuses them): C0 controls but tab, LF, CR.
_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _exact(value: Any, kind: str) -> Any:
    """A value as JSON prints it: money as a string with 2 fraction digits."""
    if kind == "money" and value is not None:
        return format_exchange(Decimal(value))
    return value


def to_json(result: ReportResult) -> str:
    """`{"report", "params", "rows", "totals"}`, UTF-8 text, indent 1 like the spec examples."""
    row_kinds = {column.field: column.kind for column in result.columns}
    total_kinds = {column.field: column.kind for column in result.total_columns}
    document = {
        "report": result.name,
        "params": result.params,
        "rows": [
            {key: _exact(value, row_kinds.get(key, "text")) for key, value in row.items()}
            for row in result.rows
        ],
        "totals": {
            key: _exact(value, total_kinds.get(key, "text"))
            for key, value in result.totals.items()
        },
    }
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    return _JSON_RAW_CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


@dataclass(frozen=True)
class CsvStyle:
    """How a CSV file is written. The default is the spec's (field names, commas, plain
    decimals); `spreadsheet_style()` is what a spreadsheet of the language opens as is."""

    delimiter: str = ","
    bom: bool = False
    titles: bool = False
    decimal: str = "."


PLAIN = CsvStyle()
CSV_STYLES = ("plain", "spreadsheet")


def spreadsheet_style(language: str) -> CsvStyle:
    """A Russian Excel or LibreOffice splits on semicolons and reads 1500000,50 as a number;
    without a byte order mark Excel reads UTF-8 as the ANSI code page (mangled Cyrillic)."""
    if language == "ru":
        return CsvStyle(delimiter=";", bom=True, titles=True, decimal=",")
    return CsvStyle(delimiter=",", bom=True, titles=True, decimal=".")


def csv_style(name: str, language: str) -> CsvStyle:
    """The style named by `--csv-style` or the export dialog: "plain" or "spreadsheet"."""
    return spreadsheet_style(language) if name == "spreadsheet" else PLAIN


def _csv_cell(value: Any, kind: str, style: CsvStyle = PLAIN) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        if style.titles:
            return _("yes") if value else _("no")
        return "true" if value else "false"
    text = str(_exact(value, kind))
    if style.decimal != "." and kind in ("money", "percent", "days"):
        text = text.replace(".", style.decimal)
    return guard_cell(text)


def to_csv(result: ReportResult, style: CsvStyle = PLAIN) -> str:
    """One header line, then the rows; no totals. By default the spec's form: field names
    and commas; a spreadsheet style writes column titles, its delimiter and a BOM."""
    buffer = io.StringIO()
    if style.bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n", delimiter=style.delimiter)
    # With "\n" as the line end the csv module leaves a carriage return unquoted, which
    # spreadsheets read as a new row: a row holding one is written fully quoted.
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL,
                        delimiter=style.delimiter)
    writer.writerow([guard_cell(column.title) if style.titles else column.field
                     for column in result.columns])
    for row in result.rows:
        cells = [_csv_cell(row.get(c.field), c.kind, style) for c in result.columns]
        (quoted if any("\r" in cell for cell in cells) else writer).writerow(cells)
    return buffer.getvalue()


def display(value: Any, kind: str) -> str:
    """A value as people read it (the table output and the app's panels)."""
    if value is None:
        return DASH
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if kind == "money":
        return show_money(Decimal(value))
    if kind in ("percent", "days"):
        return show_tenths(value)
    if kind == "date" and isinstance(value, str):
        try:
            return show_date(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def shown(result: ReportResult, column: Column, value: Any) -> str:
    """A cell as people read it: the report's name for the value, else `display`."""
    label = result.label(column, value)
    return label if label is not None else display(value, column.kind)


def _bar(value: Any, largest: float) -> str:
    if not value or largest <= 0:
        return ""
    return "█" * max(1, round(BAR_WIDTH * float(value) / largest))


def to_table(result: ReportResult, columns: list[Column] | None = None,
             title: str | None = None) -> Table:
    """A Rich table of the rows (with a bar chart beside `bar` columns): of `columns` (by
    default every column people read)."""
    from rich.table import Table
    from rich.text import Text

    columns = result.shown_columns() if columns is None else columns
    table = Table(title=result.title if title is None else title, title_justify="left")
    bars = [column for column in columns if column.bar]
    largest = {
        column.field: max((float(row.get(column.field) or 0) for row in result.rows), default=0)
        for column in bars
    }
    for column in columns:
        numeric = column.kind not in ("text", "bool", "date")
        widest = max(
            (len(shown(result, column, row.get(column.field))) for row in result.rows),
            default=1,
        )
        # A title's words are never broken ("Наименова/ние"): the table folds instead.
        title_word = max((len(word) for word in column.title.split()), default=1)
        table.add_column(
            column.title,
            justify="right" if numeric else "left",
            min_width=max(title_word, widest if numeric else min(widest, 14)),
        )
        if column.bar:
            table.add_column("", style="cyan", no_wrap=True, width=BAR_WIDTH)
    for row in result.rows:
        cells: list[Text] = []
        for column in columns:
            cells.append(Text(escape_controls(shown(result, column, row.get(column.field)))))
            if column.bar:
                cells.append(Text(_bar(row.get(column.field), largest[column.field])))
        table.add_row(*cells)
    if not result.rows:
        table.caption = _("No data for these options.")
    return table


def totals_table(result: ReportResult) -> Table:
    """The totals as a small two-column table."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=_("Totals"), title_justify="left", show_header=False)
    table.add_column(_("Measure"))
    table.add_column(_("Value"), justify="right")
    for column in result.total_columns:
        value = display(result.totals.get(column.field), column.kind)
        table.add_row(Text(column.title), Text(escape_controls(value)))
    return table


def _fits(console: Console, table: Table) -> bool:
    """Whether `table` drawn at the console's width keeps every column (Rich lets a table
    that cannot shrink enough run past the width, and the terminal cuts it off there)."""
    from rich.segment import Segment

    lines = Segment.split_lines(console.render(table, console.options))
    return all(Segment.get_line_length(line) <= console.width for line in lines)


def fold_columns(result: ReportResult, console: Console) -> list[list[Column]]:
    """The columns in groups whose tables fit the console's width, each group led by the
    row's first column (what the row is); one group when everything fits. Rich would
    otherwise cut the table at the terminal's edge and the last columns would be lost."""
    columns = result.shown_columns()
    if len(columns) < 3 or _fits(console, to_table(result)):
        return [columns]
    key, rest = columns[:1], columns[1:]
    groups: list[list[Column]] = []
    current: list[Column] = []
    for column in rest:
        trial = key + current + [column]
        if current and not _fits(console, to_table(result, trial)):
            groups.append(key + current)
            current = [column]
        else:
            current.append(column)
    groups.append(key + current)
    return groups


def print_table(result: ReportResult, console: Console | None = None) -> None:
    """Print the report and its totals for people; a report wider than the terminal is
    printed in parts, each repeating the row's first column, and says so."""
    from rich.console import Console
    from rich.text import Text

    console = console or Console()
    groups = fold_columns(result, console)
    for number, columns in enumerate(groups, start=1):
        title = result.title
        if len(groups) > 1:
            title = _("{title} (part {number} of {count})").format(
                title=result.title, number=number, count=len(groups))
        console.print(to_table(result, columns, title))
    if len(groups) > 1:
        console.print(Text(_("The report is wider than the terminal: its columns are printed "
                             "in {count} parts. A wider terminal, or --format csv, shows them "
                             "side by side.").format(count=len(groups))))
    if result.total_columns:
        console.print(totals_table(result))


def _xlsx_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "percent":
        return Decimal(str(value)) / 100
    if kind == "money":
        return Decimal(value)
    if isinstance(value, str):
        return _XLSX_ILLEGAL.sub(lambda match: escape_controls(match.group()), value)
    return value


def _put_text_safely(cell: Any, value: Any) -> None:
    """Set `cell` to `value`; text is always a text cell (openpyxl would make a formula of
    text starting with "="), marked with Excel's quote prefix when it looks like a formula,
    so editing it in the spreadsheet keeps it text."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if needs_guard(value):
            cell.quotePrefix = True


def write_xlsx(result: ReportResult, path: Path) -> None:
    """A workbook with one sheet: a header row of titles, the rows with number formats for
    money, percentages and days, then the totals (as a "Total" row under the same columns
    when the totals are row fields, else as a header and a row of their own)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = result.name[:31]
    bold = Font(bold=True)

    def put_row(index: int, columns: list[Column], values: dict[str, Any], strong: bool) -> None:
        for number, column in enumerate(columns, start=1):
            cell = sheet.cell(row=index, column=number)
            _put_text_safely(cell, _xlsx_value(values.get(column.field), column.kind))
            if column.kind in XLSX_FORMATS:
                cell.number_format = XLSX_FORMATS[column.kind]
            if strong:
                cell.font = bold

    for number, column in enumerate(result.columns, start=1):
        sheet.cell(row=1, column=number, value=column.title).font = bold
    for index, row in enumerate(result.rows, start=2):
        put_row(index, result.columns, row, strong=False)
    next_row = len(result.rows) + 2
    row_fields = {column.field for column in result.columns}
    total_fields = [column.field for column in result.total_columns]
    if total_fields and set(total_fields) <= row_fields:
        put_row(next_row, result.columns, result.totals, strong=True)
        first_text = next(
            (c for c in result.columns if c.kind == "text" and c.field not in result.totals),
            None,
        )
        if first_text is not None:
            label = sheet.cell(row=next_row, column=result.columns.index(first_text) + 1)
            label.value = _("Total")
    elif total_fields:
        header_row = next_row + 1
        for number, column in enumerate(result.total_columns, start=1):
            sheet.cell(row=header_row, column=number, value=column.title).font = bold
        put_row(header_row + 1, result.total_columns, result.totals, strong=True)
    for number, column in enumerate(result.columns, start=1):
        letter = sheet.cell(row=1, column=number).column_letter
        sheet.column_dimensions[letter].width = max(10, min(40, len(column.title) + 4))
    workbook.save(path)
