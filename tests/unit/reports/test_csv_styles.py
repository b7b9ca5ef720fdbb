"""CSV for spreadsheets (issue 22 §4): in Russian semicolons, a BOM, column titles and
decimal commas on request (`--csv-style spreadsheet`, the export dialog); the spec's plain
form stays the default of `crm report --format csv`, in every language."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from crm_tui.cli.main import main
from crm_tui.store.database import Database

BOM = "\ufeff"


def test_plain_csv_is_the_spec_form_in_russian_too(dataset: Database,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "ru", "report", "funnel", "--format", "csv", "--db", dataset.url]) == 0
    out = capsys.readouterr().out
    assert not out.startswith(BOM)
    lines = list(csv.reader(io.StringIO(out)))
    assert lines[0][:4] == ["stage", "name", "reached", "amount"]
    assert lines[1][:4] == ["a", "Lead", "4", "380.50"]


def test_russian_spreadsheet_csv(dataset: Database, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "funnel.csv"
    assert main(["--lang", "ru", "report", "funnel", "--format", "csv", "--csv-style",
                 "spreadsheet", "--output", str(target), "--db", dataset.url]) == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0][:4] == ["Этап", "Наименование", "Дошли", "Сумма"]
    assert lines[1] == ["a", "Lead", "4", "380,50", "", "100,0", "1", "1", "1,8"]


def test_english_spreadsheet_csv_keeps_commas(dataset: Database,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "funnel", "--format", "csv", "--csv-style", "spreadsheet",
                 "--db", dataset.url]) == 0
    out = capsys.readouterr().out
    assert out.startswith(BOM)
    lines = list(csv.reader(io.StringIO(out[1:])))
    assert lines[0][:2] == ["Stage", "Name"] and lines[1][3] == "380.50"


def test_csv_style_needs_csv(dataset: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "funnel", "--csv-style", "spreadsheet", "--db", dataset.url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crm: ") and "--csv-style" in err and "Traceback" not in err
