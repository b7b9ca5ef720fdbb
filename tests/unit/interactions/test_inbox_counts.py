"""The inbox's counts kept by triggers (SQLite, migration 0007): after every kind of write
they give the same numbers as counting the interactions, and `crm check` notices a
difference."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from crm_tui.store.database import Database
from crm_tui.store.maintenance import check
from crm_tui.store.repo_interactions import (
    create_interaction,
    get_interaction,
    mark_done,
    reopen,
    snooze,
)
from crm_tui.store.repo_interactions_lists import (
    InboxFilter,
    InboxView,
    _counted,
    inbox_count,
)
from tests.unit.interactions.helpers import interaction, load
from tests.unit.interactions.test_repo import NOW, draft

FILTERS = [InboxFilter(view, kind, None, manager)
           for view in InboxView for kind in (None, "call", "email")
           for manager in (None, "ivanov", "petrova")]


@pytest.fixture
def data(db: Database, fixed_now: datetime) -> Database:
    load(db,
         interaction("I1", "2026-01-10T10:00:00"),
         interaction("I2", "2026-01-12T10:00:00", kind="email", direction="outgoing"),
         interaction("I3", "2026-01-14T10:00:00", review_after="2026-01-15T12:00:00",
                     manager="petrova", partner="P2"),
         interaction("I4", "2026-01-09T10:00:00", status="done"),
         interaction("I5", "2026-01-20T10:00:00"))  # planned: due later than now
    return db


def assert_counts_agree(db: Database, now: datetime = NOW) -> None:
    with db.read() as s:
        for flt in FILTERS:
            assert inbox_count(s, flt, now) == _counted(s, flt, now), flt
    assert [p for p in check(db.engine) if p.check == "interactions"] == []


def _version(db: Database, key: str) -> int:
    with db.read() as s:
        return get_interaction(s, key).version


def test_every_write_keeps_the_counts(data: Database) -> None:
    assert_counts_agree(data)  # the importer's inserts
    with data.write() as s:
        mark_done(s, "I1", _version(data, "I1"))
    with data.write() as s:
        snooze(s, "I2", _version(data, "I2"), NOW + timedelta(hours=1))
    with data.write() as s:
        key = create_interaction(s, draft(kind="email"))
    assert_counts_agree(data)
    assert_counts_agree(data, NOW + timedelta(hours=2))  # the snooze is over
    with data.write() as s:
        reopen(s, "I1", _version(data, "I1"))
    with data.write() as s:  # another manager and kind, as another session might write
        s.execute(text("UPDATE interaction SET kind = 'meeting', manager_id = "
                       "(SELECT id FROM app_user WHERE login = 'petrova') WHERE key = :k"),
                  {"k": key})
    assert_counts_agree(data)
    with data.write() as s:
        s.execute(text("DELETE FROM interaction WHERE key = :k"), {"k": key})
    assert_counts_agree(data)


def test_check_notices_counts_that_differ(data: Database) -> None:
    with data.write() as s:
        s.execute(text("UPDATE interaction_total SET items = items + 1"))
    problems = [str(problem) for problem in check(data.engine)]
    assert any("inbox's counts differ" in problem for problem in problems), problems


def test_the_in_progress_count_reads_no_interaction_but_the_snoozed(data: Database) -> None:
    """Kept counts by primary key, and the snoozed items by ix_interaction_status_review."""
    statements: list[str] = []
    from sqlalchemy import event

    def record(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        statements.append((statement, parameters))

    event.listen(data.engine, "before_cursor_execute", record)
    try:
        with data.read() as s:
            inbox_count(s, InboxFilter(), NOW)
    finally:
        event.remove(data.engine, "before_cursor_execute", record)
    plans = []
    with data.read() as s:
        for statement, parameters in statements:
            if "count" in statement or "sum(" in statement:
                plans.append(" | ".join(str(row[3]) for row in s.connection().exec_driver_sql(
                    f"EXPLAIN QUERY PLAN {statement}", parameters).all()))
    assert any("SEARCH interaction_total USING PRIMARY KEY" in plan for plan in plans), plans
    assert any("ix_interaction_status_review" in plan for plan in plans), plans
    assert not any("SCAN" in plan for plan in plans), plans
