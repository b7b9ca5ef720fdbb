"""`crm report` on SQLite runs each statement as SQL compiled ahead, on a plain sqlite3
connection (registry.compute_on_sqlite); every output must stay byte-identical to the
SQLAlchemy path's (registry.compute): every report, every shape of options. The results are
compared by their repr (which tells Decimal("1.0") from Decimal("1.00"), 1 from True or 1.0,
a date from its text), of which every output is made; every format is rendered and compared
for no option and for all of them (rendering a table takes a while).

On the demo database always; on a bigger one (e.g. a copy of benchmarks/.data/large.sqlite3
upgraded to the current schema) when CRM_TEST_LARGE_DB names it."""

from __future__ import annotations

import io
import os
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from crm_tui.i18n import set_language
from crm_tui.reports import outputs
from crm_tui.reports.base import ReportError, ReportParams, ReportResult
from crm_tui.reports.catalog import BY_NAME, REPORTS, ReportSpec
from crm_tui.reports.queries import SQL_OPTIONS
from crm_tui.reports.registry import compute, compute_on_sqlite
from crm_tui.store.database import Database
from crm_tui.store.sqlite_read import open_current

NOW = datetime(2026, 12, 3, 12, 0)
_ATTRIBUTE = {"from": "date_from", "to": "date_to", "manager": "manager", "region": "region",
              "kind": "kind"}


def _rendered(result: ReportResult) -> dict[str, str]:
    """Every text output of `result` (xlsx is written from the same values as CSV)."""
    shown: dict[str, str] = {"json": outputs.to_json(result)}
    for language in ("en", "ru"):
        set_language(language)
        for style in ("plain", "spreadsheet"):
            shown[f"csv-{style}-{language}"] = outputs.to_csv(
                result, outputs.csv_style(style, language))
        table = io.StringIO()
        outputs.print_table(result, Console(file=table, width=160))
        shown[f"table-{language}"] = table.getvalue()
    set_language("en")
    return shown


def _values(db: Database) -> dict[str, Any]:
    """Option values that select part of the data: a period, a manager with deals and
    claims, a region, a deal kind."""
    with db.read_plain() as connection:
        first = connection.exec_driver_sql("SELECT min(created_at), max(created_at) FROM deal")
        low, high = first.one()
        manager = connection.exec_driver_sql(
            "SELECT u.login FROM app_user u JOIN deal d ON d.manager_id = u.id "
            "GROUP BY u.login ORDER BY count(*) DESC LIMIT 1").scalar()
        region = connection.exec_driver_sql(
            "SELECT c.code FROM classifier c JOIN partner p ON p.region_id = c.id "
            "GROUP BY c.code ORDER BY count(*) DESC LIMIT 1").scalar()
        kind = connection.exec_driver_sql(
            "SELECT k.code FROM deal_kind k JOIN deal d ON d.kind_id = k.id "
            "WHERE k.stage_control != 'none' GROUP BY k.code ORDER BY count(*) DESC LIMIT 1"
        ).scalar()
    start, end = (datetime.fromisoformat(str(value)).date() for value in (low, high))
    middle = start + (end - start) / 3
    assert manager and region and kind and middle < end
    return {"date_from": middle, "date_to": end - (end - start) / 4, "manager": manager,
            "region": region, "kind": kind}


def _option_sets(filters: tuple[str, ...], values: dict[str, Any]) -> Iterator[ReportParams]:
    """Every shape of the report's options, with the values given; and a few odd ones."""
    options = [option for option in SQL_OPTIONS if option in filters]
    now = {"now": NOW} if "now" in filters else {}
    for size in range(len(options) + 1):
        for shape in combinations(options, size):
            yield ReportParams(**{_ATTRIBUTE[o]: values[_ATTRIBUTE[o]] for o in shape}, **now)
    # Nobody's login, an unknown region or kind, the calendar's ends, an empty period.
    for odd in ({"manager": "nobody"}, {"region": "nowhere"}, {"kind": "no-such-kind"},
                {"date_from": date(1, 1, 1), "date_to": date(9999, 12, 31)},
                {"date_from": date(2030, 1, 2), "date_to": date(2030, 1, 1)}):
        if all(key.replace("date_", "") in filters for key in odd):
            yield ReportParams(**odd, **now)


def _outcome(render: bool, run: Any, *args: Any) -> Any:
    try:
        result = run(*args)
    except ReportError as error:
        return f"ReportError: {error}"
    return (repr(result), _rendered(result) if render else None)


def _compare(db: Database, values: dict[str, Any] | None = None,
             reports: tuple[ReportSpec, ...] = REPORTS) -> int:
    """Compare both paths on `db`; the number of (report, options) runs compared."""
    values = values or _values(db)
    connection = open_current(db.url)
    assert connection is not None, "a current SQLite database is read the plain way"
    compared = 0
    try:
        for spec in reports:
            sets = list(_option_sets(spec.filters, values))
            widest = max(sets, key=lambda params: sum(v is not None for v in vars(params).values()))
            for params in sets:
                render = params in (sets[0], widest)
                core = _outcome(render, compute, db, spec.name, params)
                fast = _outcome(render, compute_on_sqlite, connection, spec.name, params)
                assert fast == core, (spec.name, params)
                compared += 1
    finally:
        connection.close()
    return compared


@pytest.fixture
def demo_db(db: Database) -> Database:
    from crm_tui.exchange.demo import load_demo

    load_demo(db, "small", seed=1, anchor=NOW)
    return db


def test_every_report_option_and_format_is_the_same_on_the_demo_database(
        demo_db: Database) -> None:
    compared = _compare(demo_db)
    assert compared > 150  # every shape of every report was run


@pytest.mark.skipif(not os.environ.get("CRM_TEST_LARGE_DB"),
                    reason="CRM_TEST_LARGE_DB names no current large database")
def test_every_report_option_and_format_is_the_same_on_a_large_database() -> None:
    path = Path(os.environ["CRM_TEST_LARGE_DB"])
    database = Database.open(f"sqlite:///{path}", read_only=True)
    try:
        assert _compare(database) > 150
    finally:
        database.close()


def test_the_plain_connection_reads_only(demo_db: Database) -> None:
    connection = open_current(demo_db.url)
    assert connection is not None
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            connection.execute("DELETE FROM deal")
    finally:
        connection.close()


@pytest.fixture
def tasks_db(db: Database) -> Database:
    """Claim tasks done on time, late, open and overdue (the demo data has none)."""
    from sqlalchemy import text

    from tests.unit.claims.helpers import claim_record, load

    def task(name: str, due: str, assignee: str | None = None,
             done: bool = False) -> dict[str, object]:
        return {"name": name, "description": name, "due": due, "done": done,
                **({"assignee": assignee} if assignee else {})}

    load(db,
         claim_record("CL-1", tasks=[task("on time", "2026-01-10", "ivanov", done=True),
                                     task("late", "2026-01-08", "ivanov", done=True),
                                     task("overdue", "2026-01-12"),
                                     task("open", "2026-01-20", "petrov")]),
         claim_record("CL-2", manager="petrov", tasks=[task("petrov late", "2026-01-01",
                                                            done=True)]))
    with db.write() as session:
        session.execute(text("UPDATE claim_task SET done_at = '2026-01-09 18:00:00.000000' "
                             "WHERE name = 'on time'"))
        session.execute(text("UPDATE claim_task SET done_at = '2026-01-09 09:00:00.000000' "
                             "WHERE name IN ('late', 'petrov late')"))
    return db


def test_claim_tasks_are_the_same_with_dates_read_from_the_rows(tasks_db: Database) -> None:
    values = {"date_from": date(2026, 1, 5), "date_to": date(2026, 1, 15), "manager": "ivanov",
              "region": None, "kind": None}
    assert _compare(tasks_db, values, (BY_NAME["claim-tasks"],)) > 8
