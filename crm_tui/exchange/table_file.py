"""Reading a spreadsheet as people have it: CSV in UTF-8 (with or without a BOM) or
Windows-1251, separated by `;`, `,` or a tab, or XLSX (the first sheet or a named one),
with the header row found below any title lines. Rows are read one at a time, so a file of
100 000 rows never sits in memory whole."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from crm_tui.domain.errors import ValidationError
from crm_tui.domain.spreadsheet import unguard_cell
from crm_tui.domain.table_mapping import HEADER_SEARCH_ROWS, find_header
from crm_tui.i18n import _

_SAMPLE = 64 * 1024


@dataclass(frozen=True)
class TableFile:
    """A file opened for import: its header row (line number and cells) and how to read it."""

    path: str
    kind: str  # "csv" | "xlsx"
    encoding: str  # CSV only ("" for xlsx)
    delimiter: str  # CSV only
    sheet: str | None
    header_line: int
    headers: tuple[str, ...]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Every row below the header with its line number (skipping empty rows), each as
        long as the header row."""
        width = len(self.headers)
        source = _xlsx_rows(self.path, self.sheet) if self.kind == "xlsx" else _csv_rows(
            self.path, self.encoding, self.delimiter)
        for line, cells in source:
            if line <= self.header_line or not any(c.strip() for c in cells):
                continue
            yield line, (cells + [""] * width)[:width]

    def count(self) -> int:
        """The number of data rows (a pass over the file; for the progress bar)."""
        return sum(1 for _row in self.rows())


def open_table(path: str, target: str, sheet: str | None = None) -> TableFile:
    """The file with its format, encoding, delimiter and header row detected; a
    ValidationError (one line for the user) when it cannot be read."""
    try:
        if _is_xlsx(path):
            kind, encoding, delimiter = "xlsx", "", ""
            sheet = _sheet_name(path, sheet)
            head = _first(_xlsx_rows(path, sheet))
        else:
            if sheet:
                raise ValidationError(_("--sheet is for xlsx files"))
            kind, encoding = "csv", _encoding(path)
            delimiter = _delimiter(path, encoding)
            head = _first(_csv_rows(path, encoding, delimiter))
    except OSError as error:
        raise ValidationError(_("cannot read {path}: {error}").format(
            path=path, error=error.strerror or error)) from error
    except (csv.Error, UnicodeDecodeError) as error:
        raise ValidationError(_("cannot read {path}: {error}").format(
            path=path, error=error)) from error
    if not head:
        raise ValidationError(_("{path} has no rows").format(path=path))
    index = find_header(target, [cells for _line, cells in head])
    line, headers = head[index]
    while headers and not headers[-1].strip():
        headers = headers[:-1]
    return TableFile(path, kind, encoding, delimiter, sheet, line,
                     tuple(h.strip() for h in headers))


def _first(rows: Iterator[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    found = []
    for line, cells in rows:
        if any(c.strip() for c in cells):
            found.append((line, cells))
        if len(found) >= HEADER_SEARCH_ROWS:
            break
    return found


def _is_xlsx(path: str) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) == b"PK\x03\x04"  # a zip: xlsx (csv never starts so)


def _encoding(path: str) -> str:
    """UTF-8 (a BOM is dropped) when the whole file decodes as UTF-8, else Windows-1251
    (what Excel and 1C save in Russia). Read in chunks: memory stays bounded."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        try:
            while chunk := handle.read(_SAMPLE):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1251"
    return "utf-8-sig"


def _delimiter(path: str, encoding: str) -> str:
    with open(path, encoding=encoding, newline="") as handle:
        sample = handle.read(_SAMPLE)
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        # The sniffer wants every line alike; count on the first lines instead.
        lines = sample.splitlines()[:HEADER_SEARCH_ROWS]
        return max(";,\t", key=lambda d: sum(line.count(d) for line in lines))


def _csv_rows(path: str, encoding: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        start = 1
        for row in reader:
            yield start, [unguard_cell(c) for c in row]
            start = reader.line_num + 1


def _sheet_name(path: str, sheet: str | None) -> str | None:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is None:
            return None
        if sheet not in book.sheetnames:
            raise ValidationError(_("no sheet {sheet} in {path}; sheets: {names}").format(
                sheet=sheet, path=path, names=", ".join(book.sheetnames)))
        return sheet
    finally:
        book.close()


def _xlsx_rows(path: str, sheet: str | None) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        worksheet: Any = book[sheet] if sheet else book.worksheets[0]
        for line, row in enumerate(worksheet.iter_rows(values_only=True), 1):
            yield line, [_cell_text(value) for value in row]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    """A cell as the text a person sees: 7701234567.0 as "7701234567", a date as 31.12.2026."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y") if value.time() == datetime.min.time() else (
            value.strftime("%d.%m.%Y %H:%M"))
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return unguard_cell(str(value))
