"""Reports on PostgreSQL read rows that need no conversion straight from psycopg's cursor
(reports/queries.py: _driver_rows); the rows are those SQLAlchemy gives, and a statement
whose values SQLAlchemy converts still goes through SQLAlchemy."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from crm_tui.exchange.importer import import_file
from crm_tui.reports import queries
from crm_tui.reports.base import ReportParams
from crm_tui.reports.registry import available_reports, compute
from crm_tui.store.database import Database
from tests.conftest import small_jsonl_path

NOW = datetime(2026, 1, 1, 0, 0)


def test_driver_rows_are_sqlalchemy_s_rows(pg_db: Database,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import_file(pg_db, small_jsonl_path())
    taken: dict[str, list[bool]] = {}
    read = queries._driver_rows
    current = [""]

    def both_ways(connection: Any, statement: Any,
                  extra: dict[str, Any]) -> list[tuple[Any, ...]] | None:
        found = read(connection, statement, extra)
        taken.setdefault(current[0], []).append(found is not None)
        if found is not None:
            through_sqlalchemy = [tuple(row) for row in connection.execute(statement, extra)]
            assert found == through_sqlalchemy
            assert [type(v) for row in found for v in row] == [
                type(v) for row in through_sqlalchemy for v in row]
        return found

    monkeypatch.setattr(queries, "_driver_rows", both_ways)
    for report in available_reports():
        current[0] = report.name
        compute(pg_db, report.name, ReportParams(now=NOW))
    assert taken["event-calendar"] == [True]
    assert taken["claim-tasks"] == [True]
    # deal-effectiveness reads amounts that SQLAlchemy converts: not from the cursor.
    assert taken["deal-effectiveness"] == [False]


def test_a_report_on_the_driver_reads_in_the_report_s_transaction(
        pg_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first statement on the cursor still runs in the REPEATABLE READ transaction the
    engine's begin hook opens (psycopg alone would begin one at READ COMMITTED)."""
    import_file(pg_db, small_jsonl_path())
    read = queries._driver_rows
    levels: list[str] = []

    def noting_level(connection: Any, statement: Any,
                     extra: dict[str, Any]) -> list[tuple[Any, ...]] | None:
        found = read(connection, statement, extra)
        with connection.connection.driver_connection.cursor() as cursor:
            cursor.execute("SHOW transaction_isolation")
            levels.append(cursor.fetchone()[0])
        return found

    monkeypatch.setattr(queries, "_driver_rows", noting_level)
    result = compute(pg_db, "event-calendar", ReportParams(now=NOW))
    assert result.rows and all(isinstance(row["overdue"], bool) for row in result.rows)
    assert levels == ["repeatable read"]
