"""`crm report --format table` for people (issue 22 §4): names instead of codes, dates by the
language, and no column silently lost at the terminal's edge."""

from __future__ import annotations

import json

import pytest

from crm_tui.cli.main import main
from crm_tui.reports.registry import available_reports
from crm_tui.store.database import Database


def table(db: Database, capsys: pytest.CaptureFixture[str], *arguments: str) -> str:
    assert main(["--lang", "ru", "report", *arguments, "--db", db.url]) == 0
    return capsys.readouterr().out


def test_calendar_names_kinds_and_subjects(dataset: Database,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    out = table(dataset, capsys, "event-calendar", "--now", "2025-03-05T00:00")
    assert "Телефонный звонок" in out and " call " not in out
    assert "Сделка D1 «Deal D1»" in out and "deal:D1" not in out
    assert "Взаимодействие I3 «Topic»" in out
    assert "01.03.2025" in out and "2025-03-01" not in out
    # JSON keeps the spec's values.
    assert main(["report", "event-calendar", "--format", "json", "--db", dataset.url]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows[0]["kind"] == "call" and rows[0]["subject"] == "deal:D1"
    assert rows[0]["date"] == "2025-03-01"


def test_funnel_shows_stage_names_not_codes(dataset: Database,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    out = table(dataset, capsys, "funnel")
    header = next(line for line in out.splitlines() if "Дошли" in line)
    assert "Этап" not in header  # the code column is left out; the name column stays
    assert "Lead" in out and "│ a " not in out


@pytest.mark.parametrize("width", ["60", "80"])
def test_narrow_terminal_loses_no_column(dataset: Database, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch, width: str) -> None:
    from crm_tui.i18n import set_language
    from crm_tui.reports.base import ReportParams
    from crm_tui.reports.registry import compute

    monkeypatch.setenv("COLUMNS", width)
    for info in available_reports():
        out = table(dataset, capsys, info.name)
        assert all(len(line) <= int(width) for line in out.splitlines())
        if "(часть 1 из" in out:
            assert "Отчет шире терминала" in out
        set_language("ru")
        try:
            result = compute(dataset, info.name, ReportParams())
        finally:
            set_language("en")
        words = " ".join(out.split())
        for column in result.shown_columns():
            for word in column.title.split():
                assert word in words, (info.name, column.title)


def test_date_options_take_russian_dates(dataset: Database,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "funnel", "--from", "01.01.25", "--to", "31.12.2025",
                 "--format", "json", "--db", dataset.url]) == 0
    params = json.loads(capsys.readouterr().out)["params"]
    assert params["from"] == "2025-01-01" and params["to"] == "2025-12-31"
    with pytest.raises(SystemExit) as stopped:  # argparse's own exit, one line on stderr
        main(["report", "funnel", "--from", "31122025", "--db", dataset.url])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "not a date" in err and "DD.MM.YYYY" in err and "Traceback" not in err
