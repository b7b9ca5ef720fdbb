"""Every query a screen runs on opening or per keystroke is index-backed.

Each test runs the repository functions a screen calls when it opens (or on a key), records
every SELECT they send to SQLite, and checks the plan of each: no full scan of a big table.
A scan of a big table is accepted only through an index and only when it stops early or
counts everything anyway: a page (LIMIT) read in the order of an index, or the count of a
whole table (the home screen's "N partners", a list shown unfiltered).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlmodel import Session

from crm_tui.store.database import Database
from crm_tui.store.repo_interactions_lists import InboxView

BIG = ("partner", "counterparty", "contact", "deal", "deal_stage_entry", "interaction", "claim",
       "claim_task", "agreement", "attachment", "audit")
NOW = datetime(2026, 3, 16, 10, 0)


@contextmanager
def recorded(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """Every SELECT the engine sends while the block runs."""
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)


def full_scans(db: Database, statements: list[tuple[str, Any]]) -> list[str]:
    """Plan lines that scan a big table (or all of an index of one), per statement."""
    found = []
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in statements:
            for row in cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall():
                detail = str(row[-1])
                words = detail.split()
                if len(words) < 2 or words[0] != "SCAN" or words[1] not in BIG:
                    continue
                upper = " ".join(statement.split()).upper()
                if "USING" in detail and (" LIMIT " in upper or (
                        "COUNT(" in upper and " WHERE " not in upper)):
                    continue
                found.append(f"{detail}  <-  {' '.join(statement.split())[:160]}")
    finally:
        raw.close()
    return found


def check(db: Database, work: Callable[[Session], object]) -> None:
    with recorded(db) as statements, db.read() as session:
        work(session)
    assert statements, "the work ran no query"
    assert full_scans(db, statements) == []


def test_home_overview(small_db: Database) -> None:
    from crm_tui.store.repo_overview import overview

    check(small_db, lambda s: overview(s.connection(), NOW))


@pytest.mark.parametrize("view", list(InboxView))
def test_inbox_open_count_and_pages(small_db: Database, view: InboxView) -> None:
    from crm_tui.store.repo_interactions_lists import InboxFilter, inbox_count, inbox_page

    flt = InboxFilter(view=view)

    def work(s: Session) -> None:
        inbox_count(s, flt, NOW)
        inbox_page(s, flt, NOW, 0, 200)
        inbox_page(s, flt, NOW, 2000, 200)

    check(small_db, work)


def test_calendar_month(small_db: Database) -> None:
    from crm_tui.store.repo_interactions_lists import calendar_items

    check(small_db, lambda s: calendar_items(s, datetime(2026, 3, 1), datetime(2026, 4, 12)))


def test_calendar_month_counted_by_day(small_db: Database) -> None:
    """The grid's reads: each day counted and its first items ranked, by the period's index."""
    from crm_tui.store.repo_calendar import calendar_period

    check(small_db, lambda s: calendar_period(s, datetime(2026, 3, 1), datetime(2026, 4, 12),
                                              NOW))


def test_claims_list_open_and_filters(small_db: Database) -> None:
    from crm_tui.store.repo_claims_list import ClaimFilter, count_claims, fetch_claims

    def work(s: Session) -> None:
        for flt in (ClaimFilter(), ClaimFilter(status="open"),
                    ClaimFilter(date_from=date(2025, 1, 1), date_to=date(2026, 12, 31))):
            count_claims(s, flt)
            fetch_claims(s, flt, 0, 200)
            fetch_claims(s, flt, 400, 200)

    check(small_db, work)


def test_the_claims_list_reads_each_claim_s_own_tasks(small_db: Database) -> None:
    """The page's task counts and next due task come from the claim's own rows (0018's
    index): by (done, due) SQLite read every open task of every claim for each row, and
    opening Claims on the huge set took 6 s."""
    from crm_tui.store.repo_claims_list import ClaimFilter, fetch_claims

    with recorded(small_db) as statements, small_db.read() as session:
        fetch_claims(session, ClaimFilter(), 0, 50)
    raw = small_db.engine.raw_connection()
    try:
        plan = [str(row[-1]) for statement, parameters in statements
                for row in raw.cursor().execute(f"EXPLAIN QUERY PLAN {statement}",
                                                parameters).fetchall()]
    finally:
        raw.close()
    searches = [line for line in plan if line.startswith("SEARCH t ")]
    assert len(searches) == 4, plan  # done, total, next due, its name
    assert all("(claim_id=?" in line for line in searches), plan
    assert sum("ix_claim_task_claim_open (claim_id=? AND done=?" in line
               for line in searches) == 3, plan


def test_agreements_list(small_db: Database) -> None:
    from crm_tui.store.repo_agreements import AgreementFilter, count_agreements, list_agreements

    def work(s: Session) -> None:
        count_agreements(s, AgreementFilter())
        list_agreements(s, AgreementFilter(), 0, 200)
        list_agreements(s, AgreementFilter(), 400, 200)

    check(small_db, work)


def test_deals_board_columns(small_db: Database) -> None:
    from crm_tui.store.repo_deals import (
        BoardFilter,
        board_columns,
        column_cards,
        column_total,
        list_kinds,
    )

    with small_db.read() as session:
        kinds = list_kinds(session)
    assert kinds

    def work(s: Session) -> None:
        for kind in kinds:
            flt = BoardFilter(kind_id=kind.id)
            board_columns(s, flt, [stage.id for stage in kind.stages], 30)
            for stage in [None, *(stage.id for stage in kind.stages)]:
                column_total(s, flt, stage)
                column_cards(s, flt, stage, 0, 50)

    check(small_db, work)


def test_deals_board_column_totals_read_only_their_index(small_db: Database) -> None:
    """A column's count and sum come from ix_deal_board_totals alone (migration 0005): no
    deal row is read, with or without the "mine" filter. A whole board's come from
    deal_board_total (migration 0006), read by its primary key."""
    from sqlalchemy import text

    from crm_tui.store.repo_deals import (
        BoardFilter,
        _counted_totals,
        column_total,
        column_totals,
        list_kinds,
    )

    with small_db.read() as session:
        kind = list_kinds(session)[0]
        stage = kind.stages[0].id
        manager = session.execute(text("SELECT min(id) FROM app_user")).scalar()
    stages = [stage.id for stage in kind.stages]
    for flt in (BoardFilter(kind_id=kind.id), BoardFilter(kind_id=kind.id, manager_id=manager)):
        for read, expected in (
                (lambda s: column_total(s, flt, stage),  # noqa: B023
                 "COVERING INDEX ix_deal_board_totals"),
                (lambda s: _counted_totals(s, flt, stages),  # noqa: B023
                 "COVERING INDEX ix_deal_board_totals"),
                (lambda s: column_totals(s, flt, stages),  # noqa: B023
                 "SEARCH deal_board_total USING PRIMARY KEY")):
            with recorded(small_db) as statements, small_db.read() as session:
                read(session)
            with small_db.read() as session:
                sql, parameters = statements[-1]
                plan = " | ".join(str(row[3]) for row in session.connection().exec_driver_sql(
                    f"EXPLAIN QUERY PLAN {sql}", parameters).all())
            assert expected in plan, plan
            assert "TEMP B-TREE" not in plan, plan


def test_my_tasks_and_home_tasks(small_db: Database) -> None:
    """My tasks opens with its count and first page; Home reads a user's tasks due."""
    from crm_tui.store.repo_claim_tasks import count_my_tasks, my_tasks, tasks_due_for

    def work(s: Session) -> None:
        user = s.execute(text("SELECT id, login FROM app_user ORDER BY id")).first()
        assert user is not None
        count_my_tasks(s, user.login, NOW.date())
        my_tasks(s, user.login, limit=200)
        tasks_due_for(s, user.id, NOW.date())

    check(small_db, work)
