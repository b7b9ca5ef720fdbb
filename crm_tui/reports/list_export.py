"""A list as the app shows it, out to a spreadsheet (1C's "Вывести список"): the titles of
its columns and every row of its source (the filter, search and sort it shows), to CSV in
the conventions of the interface language (Russian: `;` and a BOM, as Excel in Russia opens
it; English: `,`) or to XLSX. Text that a spreadsheet would run as a formula is guarded as
in the report exports (`domain.spreadsheet.guard_cell`; in XLSX a text cell with Excel's
quote prefix). The file is replaced only once complete."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from crm_tui.atomic import replacing
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.spreadsheet import guard_cell
from crm_tui.domain.text import escape_controls
from crm_tui.i18n import _
from crm_tui.reports.outputs import _XLSX_ILLEGAL, _put_text_safely

FORMATS = (".csv", ".xlsx")
PAGE = 500  # rows read from the list's source at a time


def check_path(path: Path) -> None:
    if path.suffix.lower() not in FORMATS:
        raise ValidationError(_("The file must end in .csv or .xlsx"))


def all_rows(fetch: Callable[[int, int], Sequence[Sequence[str]]]) -> Iterator[Sequence[str]]:
    """Every row of a list's source, page by page (the memory holds one page)."""
    offset = 0
    while True:
        page = fetch(offset, PAGE)
        yield from page
        if len(page) < PAGE:
            return
        offset += len(page)


def counting(rows: Iterable[Sequence[str]], report: Callable[[int], None],
             every: int = PAGE) -> Iterator[Sequence[str]]:
    """`rows`, telling `report` the number given so far after every `every` rows (the
    app's progress bar of a long export)."""
    for count, row in enumerate(rows, 1):
        yield row
        if count % every == 0:
            report(count)


def write_list(path: Path, headers: Sequence[str], rows: Iterable[Sequence[str]],
               language: str) -> int:
    """Write the list to `path` (.csv or .xlsx); the number of rows written."""
    check_path(path)
    with replacing(path) as temporary:
        if path.suffix.lower() == ".xlsx":
            return _xlsx(temporary, headers, rows, path.stem)
        delimiter = ";" if language == "ru" else ","
        count = 0
        with open(temporary, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerow([guard_cell(h) for h in headers])
            for row in rows:
                writer.writerow([guard_cell(str(cell)) for cell in row])
                count += 1
        return count


def _xlsx(path: Path, headers: Sequence[str], rows: Iterable[Sequence[str]], title: str) -> int:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    sheet = book.active
    assert sheet is not None
    sheet.title = (_XLSX_ILLEGAL.sub("", title).translate(str.maketrans("", "", "[]:*?/\\"))
                   or "list")[:31]
    bold = Font(bold=True)
    for number, header in enumerate(headers, 1):
        cell = sheet.cell(row=1, column=number)
        _put_text_safely(cell, _clean(header))
        cell.font = bold
    count = 0
    for count, row in enumerate(rows, 1):
        for number, value in enumerate(row, 1):
            _put_text_safely(sheet.cell(row=count + 1, column=number), _clean(str(value)))
    book.save(path)
    return count


def _clean(text: str) -> str:
    return _XLSX_ILLEGAL.sub(lambda match: escape_controls(match.group()), text)
