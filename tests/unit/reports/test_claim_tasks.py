"""claim-tasks: per assignee, tasks done on time, done late, open overdue, open."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import event, text

from crm_tui.cli.main import main
from crm_tui.domain.claim_tasks import TaskStanding, standing
from crm_tui.reports.base import ReportParams
from crm_tui.reports.registry import compute
from crm_tui.store.database import Database
from tests.unit.claims.helpers import claim_record, load

NOW = datetime(2026, 1, 15, 10, 0)


def _task(name: str, due: str, assignee: str | None = None,
          done: bool = False) -> dict[str, object]:
    task: dict[str, object] = {"name": name, "description": name, "due": due, "done": done}
    if assignee:
        task["assignee"] = assignee
    return task


@pytest.fixture
def data(db: Database) -> Database:
    load(db,
         claim_record("CL-1", tasks=[_task("on time", "2026-01-10", "ivanov", done=True),
                                     _task("late", "2026-01-08", "ivanov", done=True),
                                     _task("overdue", "2026-01-12"),  # the manager's: ivanov
                                     _task("open", "2026-01-20", "petrov")]),
         claim_record("CL-2", manager="petrov",
                      tasks=[_task("petrov late", "2026-01-01", done=True)]))
    with db.write() as session:  # when they were done (the form and My tasks record it)
        session.execute(text("UPDATE claim_task SET done_at = '2026-01-09 18:00:00.000000' "
                             "WHERE name = 'on time'"))
        session.execute(text("UPDATE claim_task SET done_at = '2026-01-09 09:00:00.000000' "
                             "WHERE name IN ('late', 'petrov late')"))
    return db


def test_per_assignee(data: Database) -> None:
    result = compute(data, "claim-tasks", ReportParams(now=NOW))
    rows = {row["assignee"]: row for row in result.rows}
    assert [row["name"] for row in result.rows] == ["Ivanov", "Petrov"]
    ivanov = rows["ivanov"]
    assert (ivanov["total"], ivanov["done_on_time"], ivanov["done_late"],
            ivanov["open_overdue"], ivanov["open"]) == (3, 1, 1, 1, 0)
    assert ivanov["on_time_share"] == pytest.approx(50.0)
    petrov = rows["petrov"]
    assert (petrov["done_late"], petrov["open"]) == (1, 1)
    assert result.totals["total"] == 5 and result.totals["open_overdue"] == 1


def test_period_is_the_due_date_and_manager_the_assignee(data: Database) -> None:
    result = compute(data, "claim-tasks", ReportParams(
        date_from=date(2026, 1, 8), date_to=date(2026, 1, 12), manager="ivanov", now=NOW))
    assert [row["assignee"] for row in result.rows] == ["ivanov"]
    assert result.totals["total"] == 3


def test_cli(data: Database, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["report", "claim-tasks", "--format", "json", "--now", "2026-01-15T10:00",
                   "--db", data.url])
    out = capsys.readouterr().out
    assert status == 0
    document = json.loads(out)
    assert [row["assignee"] for row in document["rows"]] == ["ivanov", "petrov"]
    assert main(["report", "claim-tasks", "--db", data.url, "--now", "2026-01-15T10:00"]) == 0
    assert "Claim tasks by assignee" in capsys.readouterr().out


def test_drill_down_lists_the_tasks_counted(data: Database) -> None:
    from crm_tui.reports.drilldown import drill_count, drill_fetch, drill_spec

    params = ReportParams(now=NOW)
    result = compute(data, "claim-tasks", params)
    checked = 0
    with data.read() as session:
        connection = session.connection()
        for row in result.rows:
            for field in ("total", "done_on_time", "done_late", "open_overdue", "open"):
                spec = drill_spec("claim-tasks", row, params, field)
                assert spec is not None
                assert drill_count(connection, spec) == row[field], (row, field)
                items = drill_fetch(connection, spec, 0, 100)
                assert len(items) == row[field]
                checked += row[field]
        late = drill_spec("claim-tasks", {"assignee": "ivanov"}, params, "done_late")
        assert late is not None
        assert [(i.key, i.name, i.manager) for i in drill_fetch(connection, late, 0, 10)] == [
            ("CL-1", "late", "ivanov")]
    assert checked == 2 * result.totals["total"]  # each task: in "total" and in one standing


# Every case domain.claim_tasks.standing tells apart: (due, done, done_at); "now" is NOW.
_CASES: tuple[tuple[str | None, bool, str | None], ...] = tuple(
    (due, done, done_at)
    for due in (None, "2026-01-10", "2026-01-15", "2026-01-20")
    for done in (False, True)
    for done_at in ((None, "2026-01-09 23:59:59.000000", "2026-01-10 23:59:59.999999",
                     "2026-01-11 00:00:00.000000") if done else (None,)))


def test_the_database_stands_each_task_as_the_domain_does(db: Database) -> None:
    """The report counts tasks by standing in SQL: every case of domain.claim_tasks.standing
    lands in the same column."""
    tasks = []
    for number, (due, done, _done_at) in enumerate(_CASES):
        task: dict[str, object] = {"name": f"t{number}", "description": "-", "done": done}
        if due is not None:
            task["due"] = due
        tasks.append(task)
    load(db, claim_record("CL-1", tasks=tasks))
    with db.write() as session:
        for number, (_due, _done, done_at) in enumerate(_CASES):
            if done_at is not None:
                session.execute(text("UPDATE claim_task SET done_at = :at WHERE name = :name"),
                                {"at": done_at, "name": f"t{number}"})
    expected = dict.fromkeys((standing.value for standing in TaskStanding), 0)
    for due, done, done_at in _CASES:
        expected[standing(date.fromisoformat(due) if due else None, done,
                          datetime.fromisoformat(done_at) if done_at else None,
                          NOW.date()).value] += 1
    assert all(expected.values())  # each standing is met at least once
    result = compute(db, "claim-tasks", ReportParams(now=NOW))
    assert {field: result.totals[field] for field in expected} == expected


def test_tasks_are_counted_by_the_database(data: Database) -> None:
    """One row per assignee and standing comes back, not one per task (75k tasks of the
    huge demo set cost 2.3× their bare SQL standed one by one in Python)."""
    statements: list[str] = []

    def capture(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(data.engine, "before_cursor_execute", capture)
    try:
        compute(data, "claim-tasks", ReportParams(now=NOW))
    finally:
        event.remove(data.engine, "before_cursor_execute", capture)
    selects = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    assert selects and all("GROUP BY" in sql and "count(" in sql for sql in selects), selects
