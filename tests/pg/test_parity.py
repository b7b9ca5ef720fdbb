"""One file imported into SQLite and PostgreSQL: the same export bytes, the same reports."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from crm_tui.cli.main import main
from crm_tui.exchange.exporter import export_file, export_lines
from crm_tui.exchange.importer import import_file, import_lines
from crm_tui.reports.base import ReportParams
from crm_tui.reports.registry import available_reports, compute, report_filters
from crm_tui.store.database import Database
from tests.conftest import small_jsonl_path
from tests.unit.reports.test_examples import EXAMPLES, command_line

PARAMS = [
    ReportParams(),
    ReportParams(date_from=date(2025, 11, 1), date_to=date(2026, 2, 28)),
    ReportParams(now=datetime(2026, 1, 1, 0, 0)),
]


@pytest.fixture
def both(db: Database, pg_db: Database) -> tuple[Database, Database]:
    """SQLite and PostgreSQL, each holding exactly small.jsonl."""
    for database in (db, pg_db):
        import_file(database, small_jsonl_path())
    return db, pg_db


def test_export_is_byte_identical(both: tuple[Database, Database], tmp_path: Path) -> None:
    sqlite, postgres = both
    export_file(sqlite, tmp_path / "sqlite.jsonl")
    export_file(postgres, tmp_path / "postgres.jsonl")
    exported = (tmp_path / "postgres.jsonl").read_bytes()
    assert exported == (tmp_path / "sqlite.jsonl").read_bytes()
    assert exported.count(b"\n") > 150


def test_reimport_of_the_export_changes_nothing(pg_db: Database) -> None:
    import_file(pg_db, small_jsonl_path())
    first = list(export_lines(pg_db))
    import_lines(pg_db, first)
    assert list(export_lines(pg_db)) == first


@pytest.mark.parametrize("params", PARAMS, ids=["all", "period", "now"])
def test_every_report_gives_the_same_numbers(
    both: tuple[Database, Database], params: ReportParams
) -> None:
    sqlite, postgres = both
    for report in available_reports():
        given = ReportParams(**{
            name: getattr(params, name) for name in ("date_from", "date_to", "now")
            if ("from" if name == "date_from" else "to" if name == "date_to" else name)
            in report_filters(report.name)
        })
        expected = compute(sqlite, report.name, given)
        actual = compute(postgres, report.name, given)
        assert actual.rows == expected.rows, report.name
        assert actual.totals == expected.totals, report.name
        # Same Python types too (Decimal stays Decimal, no driver-specific floats).
        for got, want in zip(actual.rows, expected.rows, strict=True):
            assert {k: type(v) for k, v in got.items()} == {k: type(v) for k, v in want.items()}


@pytest.mark.parametrize("example", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_spec_example_on_postgresql(
    example: Path, pg_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    import_file(pg_db, small_jsonl_path())
    expected = json.loads(example.read_text(encoding="utf-8"))
    status = main(["report", *command_line(example), "--format", "json", "--db", pg_db.url])
    document = json.loads(capsys.readouterr().out)
    assert status == 0
    assert document["rows"] == expected["rows"]
    assert document["totals"] == expected["totals"]


def test_cli_export_from_postgresql(
    both: tuple[Database, Database], tmp_path: Path
) -> None:
    sqlite, postgres = both
    assert main(["export", str(tmp_path / "pg.jsonl"), "--db", postgres.url]) == 0
    assert main(["export", str(tmp_path / "lite.jsonl"), "--db", sqlite.url]) == 0
    assert (tmp_path / "pg.jsonl").read_bytes() == (tmp_path / "lite.jsonl").read_bytes()
