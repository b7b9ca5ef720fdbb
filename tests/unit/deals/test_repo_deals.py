"""The deals repositories: board queries (index-backed), moves, win/lose, create and update."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlmodel import select

from crm_tui.domain.deals import DealDraft, DemandLine
from crm_tui.domain.errors import (
    ConflictError,
    PermissionDenied,
    StageRuleError,
    ValidationError,
)
from crm_tui.store.database import Database
from crm_tui.store.models import ChangeLog, Deal, DealStageEntry
from crm_tui.store.repo_deals import (
    BoardFilter,
    board_columns,
    card_by_key,
    column_cards,
    column_total,
    column_totals,
    list_classifier,
    list_kinds,
    list_users,
    lose_deal,
    move_deal,
    reopen_deal,
    win_deal,
)
from crm_tui.store.repo_deals_form import (
    agreements_for,
    contacts_for,
    create_deal,
    form_choices,
    load_deal,
    update_deal,
)
from tests.support.login import set_login_for_tests
from tests.unit.deals.data import seed


@pytest.fixture
def deals_db(db: Database, fixed_now: datetime) -> Database:
    seed(db)
    set_login_for_tests("ivanov")
    return db


def _kind(db: Database, code: str):  # type: ignore[no-untyped-def]
    with db.read() as s:
        return next(k for k in list_kinds(s) if k.code == code)


def _deal_logs(s):  # type: ignore[no-untyped-def]
    return s.exec(select(ChangeLog).where(ChangeLog.entity == "deal")).all()


def _version(db: Database, key: str) -> int:
    with db.read() as s:
        return s.exec(select(Deal.version).where(Deal.key == key)).one()


def test_kinds_with_stages(deals_db: Database) -> None:
    typical = _kind(deals_db, "typical")
    assert [s.code for s in typical.stages] == ["lead", "qualify", "proposal"]
    assert _kind(deals_db, "longterm").stages == ()


def test_column_totals_and_cards(deals_db: Database, fixed_now: datetime) -> None:
    kind = _kind(deals_db, "typical")
    lead, qualify, proposal = kind.stages
    flt = BoardFilter(kind.id)
    with deals_db.read() as s:
        assert column_total(s, flt, lead.id).count == 1
        assert column_total(s, flt, lead.id).total == Decimal("1500000.00")
        assert column_total(s, flt, qualify.id).total == Decimal("250000.50")
        cards = column_cards(s, flt, proposal.id, 0, 10)
    assert [c.key for c in cards] == ["D3"]
    assert cards[0].partner == "Alpha Trade"
    assert cards[0].manager == "Ivanov I."
    assert cards[0].days_in_stage == 5


def test_a_board_read_at_once_equals_its_columns_read_one_by_one(
        deals_db: Database, fixed_now: datetime) -> None:
    kind = _kind(deals_db, "typical")
    stage_ids = [stage.id for stage in kind.stages]
    with deals_db.read() as s:
        users = {u.code: u.id for u in list_users(s)}
        for flt in (BoardFilter(kind.id), BoardFilter(kind.id, open_only=False),
                    BoardFilter(kind.id, manager_id=users["petrova"])):
            one_by_one = [(column_total(s, flt, stage).count, column_total(s, flt, stage).total,
                           column_cards(s, flt, stage, 0, 2)) for stage in stage_ids]
            assert board_columns(s, flt, stage_ids, 2) == one_by_one
            assert column_totals(s, flt, stage_ids) == {
                stage: column_total(s, flt, stage) for stage in stage_ids}


def test_filters(deals_db: Database) -> None:
    kind = _kind(deals_db, "typical")
    with deals_db.read() as s:
        users = {u.code: u.id for u in list_users(s)}
        regions = {r.code: r.id for r in list_classifier(s, "region")}
        mine = BoardFilter(kind.id, manager_id=users["petrova"])
        assert column_total(s, mine, kind.stages[1].id).count == 1
        assert column_total(s, mine, kind.stages[0].id).count == 0
        spb = BoardFilter(kind.id, region_id=regions["SPB"])
        assert [c.key for c in column_cards(s, spb, kind.stages[1].id, 0, 10)] == ["D2"]
        assert column_total(s, spb, kind.stages[0].id).count == 0


def test_board_queries_use_the_index(deals_db: Database) -> None:
    kind = _kind(deals_db, "typical")
    with deals_db.read() as s:
        plan = s.execute(text(
            "EXPLAIN QUERY PLAN SELECT id FROM deal WHERE kind_id=:k AND status='open' "
            "AND stage_id=:s ORDER BY status, stage_at, id LIMIT 30"),
            {"k": kind.id, "s": kind.stages[0].id}).all()
    details = " ".join(str(row[-1]) for row in plan)
    assert "ix_deal_board" in details
    assert "TEMP B-TREE" not in details


def test_column_query_plan_from_sqlalchemy(deals_db: Database) -> None:
    """The statement column_cards really runs is a SEARCH on ix_deal_board, no sort."""
    from sqlalchemy.dialects import sqlite
    from sqlmodel import col

    from crm_tui.store.repo_deals import _board_where

    kind = _kind(deals_db, "typical")
    flt = BoardFilter(kind.id)
    statement = (select(Deal.id).where(*_board_where(flt, kind.stages[0].id))
                 .order_by(col(Deal.status), col(Deal.stage_at), col(Deal.id)).limit(30))
    sql = str(statement.compile(dialect=sqlite.dialect(),
                                compile_kwargs={"literal_binds": True}))
    with deals_db.read() as s:
        plan = s.execute(text("EXPLAIN QUERY PLAN " + sql)).all()
    details = " ".join(str(row[-1]) for row in plan)
    assert "SEARCH deal USING" in details and "ix_deal_board" in details
    assert "TEMP B-TREE" not in details


def test_strict_move_records_history_and_audit(deals_db: Database, fixed_now: datetime) -> None:
    with deals_db.write() as s:
        assert move_deal(s, "D1", _version(deals_db, "D1"), step=1) == "qualify"
    with deals_db.read() as s:
        deal = s.exec(select(Deal).where(Deal.key == "D1")).one()
        entries = s.exec(select(DealStageEntry).where(DealStageEntry.deal_id == deal.id)
                         .order_by(DealStageEntry.seq)).all()
        logs = s.exec(select(ChangeLog).where(ChangeLog.record_key == "D1",
                                             ChangeLog.entity == "deal")).all()
    assert deal.stage_at == fixed_now and deal.version == 2
    assert entries[-1].stage_id == deal.stage_id and entries[-1].at == fixed_now
    assert entries[-1].user_login == "ivanov" and entries[-1].seq == 2
    assert [(log.field, log.old, log.new) for log in logs] == [("stage", "Lead", "Qualification")]


def test_refused_move_changes_nothing(deals_db: Database) -> None:
    with pytest.raises(StageRuleError, match="cannot go back"), deals_db.write() as s:
        move_deal(s, "D3", 1, step=-1)
    with pytest.raises(StageRuleError, match="only move to the next stage, Qualification"), \
            deals_db.write() as s:
        move_deal(s, "D1", 1, target="proposal")
    with deals_db.read() as s:
        assert card_by_key(s, "D1").version == 1
        assert _deal_logs(s) == []


def test_manual_moves_anywhere(deals_db: Database) -> None:
    with deals_db.write() as s:
        move_deal(s, "D4", 1, target="proposal")
    with deals_db.write() as s:
        move_deal(s, "D4", 2, step=-1)
    with deals_db.read() as s:
        assert load_deal(s, "D4").stage == "Qualification"
        assert [e.stage for e in load_deal(s, "D4").timeline] == [
            "Lead", "Proposal", "Qualification"]


def test_none_kind_cannot_move(deals_db: Database) -> None:
    with pytest.raises(StageRuleError, match="non-process"), deals_db.write() as s:
        move_deal(s, "D5", 1, step=1)


def test_move_conflict(deals_db: Database) -> None:
    with pytest.raises(ConflictError), deals_db.write() as s:
        move_deal(s, "D1", 7, step=1)


def test_move_of_someone_elses_deal_is_denied(deals_db: Database) -> None:
    with pytest.raises(PermissionDenied), deals_db.write() as s:
        move_deal(s, "D2", 1, step=1)


def test_win_only_from_last_stage(deals_db: Database, fixed_now: datetime) -> None:
    with pytest.raises(StageRuleError, match="last stage, Proposal"), deals_db.write() as s:
        win_deal(s, "D1", 1)
    with deals_db.write() as s:
        win_deal(s, "D3", 1)
    with deals_db.read() as s:
        deal = s.exec(select(Deal).where(Deal.key == "D3")).one()
        logs = {log.field: log.new for log in _deal_logs(s)}
    assert deal.status == "won" and deal.closed_at == fixed_now
    assert logs["status"] == "won"
    with pytest.raises(StageRuleError, match="already closed"), deals_db.write() as s:
        win_deal(s, "D3", 2)


def test_lose_with_reason_at_any_stage(deals_db: Database, fixed_now: datetime) -> None:
    with deals_db.read() as s:
        reason = next(r for r in list_classifier(s, "loss_reason") if r.code == "price")
    with deals_db.write() as s:
        lose_deal(s, "D1", 1, reason.id)
    with deals_db.write() as s:
        lose_deal(s, "D5", 1, reason.id)
    with deals_db.read() as s:
        detail = load_deal(s, "D1")
    assert detail.status == "lost" and detail.loss_reason == "Price too high"
    assert detail.closed_at == fixed_now
    with pytest.raises(ValidationError), deals_db.write() as s:
        lose_deal(s, "D4", 1, 99999)


def test_reopen_returns_a_closed_deal_to_work(deals_db: Database, fixed_now: datetime) -> None:
    with deals_db.read() as s:
        reason = next(r for r in list_classifier(s, "loss_reason") if r.code == "price")
    with deals_db.write() as s:
        lose_deal(s, "D1", 1, reason.id)
    with pytest.raises(ConflictError), deals_db.write() as s:
        reopen_deal(s, "D1", 1)  # seen before it was lost
    with pytest.raises(PermissionDenied), deals_db.write() as s:
        reopen_deal(s, "D2", 1)  # someone else's
    with pytest.raises(StageRuleError, match="open already"), deals_db.write() as s:
        reopen_deal(s, "D5", 1)
    with deals_db.write() as s:
        reopen_deal(s, "D1", 2)
    with deals_db.read() as s:
        detail = load_deal(s, "D1")
        logs = {log.field: (log.old, log.new) for log in _deal_logs(s)}
    assert detail.status == "open" and detail.closed_at is None
    assert detail.loss_reason in (None, "")
    assert logs["status"] == ("lost", "open") and logs["loss_reason"][0] == "Price too high"
    # Open again, it moves and is won as any open deal.
    with deals_db.write() as s:
        move_deal(s, "D1", 3, step=1)
    with deals_db.write() as s:
        win_deal(s, "D3", 1)
    with deals_db.write() as s:
        reopen_deal(s, "D3", 2)
    with deals_db.read() as s:
        assert load_deal(s, "D3").status == "open"


def _draft(**changes: object) -> DealDraft:
    values: dict[str, object] = dict(
        name="New pipes", partner="P1", kind="typical", manager="ivanov",
        amount=Decimal("1234567.89"), agreement="A2", notes="call back",
        participants=(("P2", "payer"),), contacts=(("K1", "decider"),),
        demand=(DemandLine("stock", "no DN50", Decimal("1000")),),
    )
    values.update(changes)
    return DealDraft(**values)  # type: ignore[arg-type]


def test_create_starts_at_first_stage(deals_db: Database, fixed_now: datetime) -> None:
    with deals_db.write() as s:
        key = create_deal(s, _draft())
    assert key == "D-000001"
    with deals_db.read() as s:
        detail = load_deal(s, key)
    assert detail.draft == _draft()
    assert detail.stage == "Lead" and detail.timeline[0].at == fixed_now
    assert detail.timeline[0].user == "ivanov"


def test_create_non_process_has_no_stage(deals_db: Database) -> None:
    with deals_db.write() as s:
        key = create_deal(s, _draft(kind="longterm"))
    with deals_db.read() as s:
        assert load_deal(s, key).stage is None
        assert load_deal(s, key).timeline == ()


def test_create_validation(deals_db: Database) -> None:
    with pytest.raises(ValidationError) as error, deals_db.write() as s:
        create_deal(s, _draft(name="  "))
    assert error.value.field == "name"
    with pytest.raises(ValidationError) as error, deals_db.write() as s:
        create_deal(s, _draft(name="bad\x1b[2J"))
    with pytest.raises(ValidationError) as error, deals_db.write() as s:
        create_deal(s, _draft(partner="nope"))
    assert error.value.field == "partner"


def test_update_with_version_check(deals_db: Database) -> None:
    with deals_db.read() as s:
        detail = load_deal(s, "D1")
    with deals_db.write() as s:
        version = update_deal(s, "D1", detail.version, _draft(name="Renamed", kind="typical"))
    assert version == 2
    with pytest.raises(ConflictError), deals_db.write() as s:
        update_deal(s, "D1", detail.version, _draft(name="Stale"))
    with deals_db.read() as s:
        assert load_deal(s, "D1").draft.name == "Renamed"
        fields = {log.field for log in _deal_logs(s)}
    assert {"name", "amount", "participants"} <= fields
    with pytest.raises(ValidationError), deals_db.write() as s:
        update_deal(s, "D1", 2, _draft(kind="project"))


def test_form_choices_and_agreements(deals_db: Database) -> None:
    with deals_db.read() as s:
        choices = form_choices(s)
        assert [k.code for k in choices.kinds] == ["typical", "project", "longterm"]
        assert [a.code for a in agreements_for(s, "P1")] == ["A2", "A1"]
        assert [a.code for a in agreements_for(s, "P2")] == ["A1"]
        assert [c.code for c in contacts_for(s, "P1")] == ["K1"]
