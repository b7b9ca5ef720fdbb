"""The deals board's column counts and sums kept by triggers (SQLite, migration 0006):
after every kind of write they equal the deals counted, and `crm check` notices a
difference."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from crm_tui.domain.deals import DealDraft
from crm_tui.store.database import Database
from crm_tui.store.maintenance import check
from crm_tui.store.repo_deals import (
    BoardFilter,
    _counted_totals,
    _kept_totals,
    list_kinds,
    list_users,
    lose_deal,
    move_deal,
    reopen_deal,
    win_deal,
)
from crm_tui.store.repo_deals_form import create_deal, load_deal, update_deal
from tests.support.login import set_login_for_tests
from tests.unit.deals.data import seed


@pytest.fixture
def deals_db(db: Database, fixed_now: datetime) -> Database:
    seed(db)
    set_login_for_tests("ivanov")
    with db.write() as s:  # a supervisor may give a deal to another manager
        s.execute(text("UPDATE app_user SET role = 'supervisor' WHERE login = 'ivanov'"))
    return db


def _as_dict(rows: Any) -> dict[int, tuple[int, int]]:
    return {int(stage): (int(count), int(total)) for stage, count, total in rows
            if int(count) or int(total)}


def assert_kept_equals_counted(db: Database) -> None:
    with db.read() as s:
        kinds, users = list_kinds(s), list_users(s)
        for kind in kinds:
            stages = [stage.id for stage in kind.stages]
            for flt in (BoardFilter(kind.id), BoardFilter(kind.id, open_only=False),
                        *(BoardFilter(kind.id, manager_id=user.id) for user in users),
                        *(BoardFilter(kind.id, manager_id=user.id, open_only=False)
                          for user in users)):
                assert _as_dict(_kept_totals(s, flt, stages)) == \
                    _as_dict(_counted_totals(s, flt, stages)), flt
    assert [problem for problem in check(db.engine) if problem.check == "deals"] == []


def _version(db: Database, key: str) -> int:
    with db.read() as s:
        return int(s.execute(text("SELECT version FROM deal WHERE key = :k"), {"k": key})
                   .scalar_one())


def test_every_write_keeps_the_totals(deals_db: Database) -> None:
    assert_kept_equals_counted(deals_db)  # the importer's inserts
    with deals_db.write() as s:
        move_deal(s, "D1", _version(deals_db, "D1"), step=1)
    with deals_db.write() as s:
        win_deal(s, "D3", _version(deals_db, "D3"))
    with deals_db.read() as s:
        reason = int(s.execute(text("SELECT min(id) FROM classifier "
                                    "WHERE kind = 'loss_reason'")).scalar_one())
    with deals_db.write() as s:
        lose_deal(s, "D4", _version(deals_db, "D4"), reason)
    assert_kept_equals_counted(deals_db)
    with deals_db.write() as s:  # back to work: counted as open again
        reopen_deal(s, "D4", _version(deals_db, "D4"))
    assert_kept_equals_counted(deals_db)
    with deals_db.write() as s:
        key = create_deal(s, DealDraft(name="New pipes", partner="P1", kind="typical",
                                       manager="ivanov", amount=Decimal("1234567.89")))
    assert_kept_equals_counted(deals_db)
    with deals_db.read() as s:
        detail = load_deal(s, key)
    # a new amount and another manager move the deal's figures between groups
    with deals_db.write() as s:
        update_deal(s, key, detail.version, DealDraft(
            name="New pipes", partner="P1", kind="typical", manager="petrova",
            amount=Decimal("10.01")))
    assert_kept_equals_counted(deals_db)
    with deals_db.write() as s:  # a deal removed (with what refers to it)
        deal_id = s.execute(text("SELECT id FROM deal WHERE key = :k"), {"k": key}).scalar_one()
        for table in ("deal_stage_entry", "deal_participant", "deal_contact", "deal_demand_reason"):
            s.execute(text(f"DELETE FROM {table} WHERE deal_id = :d"), {"d": deal_id})
        s.execute(text("DELETE FROM deal WHERE id = :d"), {"d": deal_id})
    assert_kept_equals_counted(deals_db)


def test_a_failed_write_leaves_the_totals_as_they_were(deals_db: Database) -> None:
    with pytest.raises(RuntimeError), deals_db.write() as s:
        s.execute(text("UPDATE deal SET amount_minor = amount_minor + 100"))
        raise RuntimeError("rolled back")
    assert_kept_equals_counted(deals_db)


def test_check_notices_totals_that_differ(deals_db: Database) -> None:
    with deals_db.write() as s:
        s.execute(text("UPDATE deal_board_total SET deals = deals + 1"))
    problems = [str(problem) for problem in check(deals_db.engine)]
    assert any("counts and sums differ" in problem for problem in problems), problems


def test_the_kept_totals_are_read_by_primary_key(deals_db: Database) -> None:
    with deals_db.read() as s:
        kind = list_kinds(s)[0]
        statements: list[str] = []
        sql = ("SELECT stage_key, sum(deals), sum(amount_minor) FROM deal_board_total "
               "WHERE kind_id = ? AND status IN ('open') AND stage_key IN (1, 2) "
               "AND manager_id = ? GROUP BY stage_key")
        for manager in ((1,), ()):
            query = sql if manager else sql.replace(" AND manager_id = ?", "")
            plan = " | ".join(str(row[3]) for row in s.connection().exec_driver_sql(
                f"EXPLAIN QUERY PLAN {query}", (kind.id, *manager)).all())
            statements.append(plan)
    for plan in statements:
        assert "SEARCH deal_board_total USING PRIMARY KEY" in plan, plan


def test_upgrading_a_database_with_deals_fills_the_totals(deals_db: Database) -> None:
    """Down to 0005 (no kept totals) and up again: the migration counts the deals there."""
    from alembic import command

    from crm_tui.store.migrate import alembic_config, current_revision, head_revision

    for revision in ("0005_deals_totals", head_revision()):
        with deals_db.engine.connect() as connection:
            connection = connection.execution_options(crm_write=True)
            with connection.begin():
                step = command.downgrade if revision != head_revision() else command.upgrade
                step(alembic_config(connection), revision)
        if revision != head_revision():
            with deals_db.read() as s:
                assert s.execute(text("SELECT count(*) FROM sqlite_master "
                                      "WHERE name LIKE 'deal_board_total%'")).scalar() == 0
    assert current_revision(deals_db.engine) == head_revision()
    with deals_db.read() as s:
        assert s.execute(text("SELECT sum(deals) FROM deal_board_total")).scalar() == \
            s.execute(text("SELECT count(*) FROM deal")).scalar()
    assert_kept_equals_counted(deals_db)
