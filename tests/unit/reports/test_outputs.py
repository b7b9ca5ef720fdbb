"""`crm report` output formats and errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from crm_tui.cli.main import main
from crm_tui.reports.registry import available_reports
from crm_tui.store.database import Database


def run(db: Database, capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    status = main(["report", *arguments, "--db", db.url])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_csv(dataset: Database, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(dataset, capsys, "funnel", "--format", "csv")
    assert status == 0
    lines = list(csv.reader(io.StringIO(out)))
    assert lines[0] == ["stage", "name", "reached", "amount", "conversion_from_prev",
                        "conversion_from_first", "current", "lost_here", "avg_days_in_stage"]
    assert lines[1] == ["a", "Lead", "4", "380.50", "", "100.0", "1", "1", "1.8"]
    assert len(lines) == 5  # header + 4 stages, no totals
    status, out, _err = run(dataset, capsys, "event-calendar", "--format", "csv",
                            "--now", "2025-03-05T00:00")
    assert out.splitlines()[1] == "2025-03-01,09:00,I1,call,Topic,Alpha,deal:D1,true"
    assert out.splitlines()[3] == "2025-03-10,08:30,I4,sms,Topic,Beta,interaction:I3,false"


def test_xlsx(dataset: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "effectiveness.xlsx"
    status, _out, _err = run(dataset, capsys, "deal-effectiveness", "--format", "xlsx",
                             "--output", str(target))
    assert status == 0
    sheet = load_workbook(target).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Manager", "Name", "Deals"]
    assert sheet["A2"].value == "anna"
    won_amount = sheet.cell(row=2, column=header.index("Won amount") + 1)
    assert float(won_amount.value) == pytest.approx(1199.99)
    assert won_amount.number_format == "#,##0.00"
    win_rate = sheet.cell(row=2, column=header.index("Win rate, %") + 1)
    assert win_rate.number_format == "0.0%"
    assert float(win_rate.value) == pytest.approx(1.0)
    totals = [cell.value for cell in sheet[4]]  # header, 2 managers, totals
    assert totals[0] == "Total"
    assert totals[2] == 6
    assert float(totals[header.index("Lost amount")]) == pytest.approx(60.50)


def test_xlsx_with_separate_totals(dataset: Database, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "funnel.xlsx"
    assert run(dataset, capsys, "funnel", "--format", "xlsx", "--output", str(target))[0] == 0
    sheet = load_workbook(target).active
    assert sheet is not None
    assert sheet["D2"].value is not None and sheet["D2"].number_format == "#,##0.00"
    assert [cell.value for cell in sheet[7]][:5] == ["Deals", "Open", "Won", "Lost",
                                                    "Won amount"]
    assert [cell.value for cell in sheet[8]][:4] == [5, 2, 1, 2]


def test_xlsx_needs_output(dataset: Database, capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = run(dataset, capsys, "funnel", "--format", "xlsx")
    assert status == 2
    assert "--output" in err


def test_table(dataset: Database, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(dataset, capsys, "claim-structure")
    assert status == 0
    assert "Claim structure" in out and "Defect" in out and "█" in out and "Totals" in out


def test_errors(dataset: Database, capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = run(dataset, capsys, "nonsense", "--format", "json")
    assert status == 2
    assert "unknown report: nonsense" in err
    with pytest.raises(SystemExit) as raised:
        run(dataset, capsys, "funnel", "--from", "2025-02-30")
    assert raised.value.code == 2
    assert "not a date" in capsys.readouterr().err
    status, _out, err = run(dataset, capsys, "funnel", "--kind", "nope", "--format", "json")
    assert status == 2 and "unknown deal kind" in err


def test_option_that_does_not_apply_is_reported(
    dataset: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(dataset, capsys, "claim-structure", "--kind", "s", "--format", "json")
    assert status == 0 and "--kind" in err and '"count": 5' in out


def test_russian_titles(dataset: Database, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["--lang", "ru", "report", "funnel", "--db", dataset.url])
    assert status == 0
    assert "Воронка продаж" in capsys.readouterr().out


def test_available_reports() -> None:
    names = [info.name for info in available_reports()]
    assert names == ["funnel", "deal-effectiveness", "event-calendar", "claim-satisfaction",
                     "claim-structure", "primary-demand", "claim-dynamics", "demand-lines",
                     "claim-tasks"]
