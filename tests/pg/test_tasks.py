"""Claim-plan tasks on both backends: My tasks, marking done, the calendar's tasks, the
claim-tasks report and its drill-down (the late test compares a timestamp's day with a
date: date() on SQLite, a cast on PostgreSQL)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from crm_tui.reports.base import ReportParams
from crm_tui.reports.drilldown import drill_count, drill_spec
from crm_tui.reports.registry import compute
from crm_tui.store import repo_claim_tasks as tasks_repo
from crm_tui.store.database import Database
from crm_tui.store.repo_interactions_lists import calendar_items
from tests.support.clock import set_fixed_now
from tests.support.login import set_login_for_tests
from tests.unit.claims.helpers import claim_record, load

NOW = datetime(2026, 1, 15, 10, 0)


def _task(name: str, due: str, assignee: str, done: bool = False) -> dict[str, object]:
    return {"name": name, "description": name, "due": due, "assignee": assignee, "done": done}


def test_tasks_on_both_backends(any_db: Database) -> None:
    load(any_db, claim_record("CL-1", tasks=[
        _task("late", "2026-01-08", "ivanov", done=True),
        _task("overdue", "2026-01-12", "ivanov"),
        _task("open", "2026-01-20", "ivanov")]))
    with any_db.write() as s:
        s.execute(text("UPDATE claim_task SET done_at = :at WHERE name = 'late'"),
                  {"at": datetime(2026, 1, 9, 9, 0)})
    set_login_for_tests("ivanov")
    set_fixed_now(NOW)
    with any_db.read() as s:
        mine = tasks_repo.my_tasks(s, "ivanov")
        assert [t.name for t in mine] == ["overdue", "open"]
        assert tasks_repo.count_my_tasks(s, "ivanov", NOW.date()) == (2, 1)
        week = calendar_items(s, datetime(2026, 1, 12), datetime(2026, 1, 19))
        assert [(i.kind, i.topic, i.record) for i in week] == [
            ("task", "overdue", ("claim", "CL-1"))]
    with any_db.write() as s:
        tasks_repo.set_task_done(s, mine[1].id, True)
    params = ReportParams(now=NOW)
    result = compute(any_db, "claim-tasks", params)
    (row,) = result.rows
    assert (row["done_on_time"], row["done_late"], row["open_overdue"], row["open"]) == (
        1, 1, 1, 0)
    with any_db.read() as s:
        for field in ("done_on_time", "done_late", "open_overdue", "open"):
            spec = drill_spec("claim-tasks", row, params, field)
            assert spec is not None
            assert drill_count(s.connection(), spec) == row[field], field
