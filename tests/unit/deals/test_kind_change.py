"""A deal's kind changes only where the stage rules allow it; a closed deal is not edited."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from sqlmodel import select

from crm_tui.domain.errors import StageRuleError, ValidationError
from crm_tui.domain.stages import check_kind_change
from crm_tui.store.database import Database
from crm_tui.store.models import ChangeLog
from crm_tui.store.repo_deals import list_classifier, lose_deal
from crm_tui.store.repo_deals_form import load_deal, update_deal
from tests.support.login import set_login_for_tests
from tests.unit.deals.data import seed


@pytest.fixture
def deals_db(db: Database, fixed_now: datetime) -> Database:
    seed(db)
    set_login_for_tests("ivanov")
    return db


def test_rules() -> None:
    check_kind_change("open", has_history=False)
    with pytest.raises(StageRuleError, match="stage history cannot change"):
        check_kind_change("open", has_history=True)
    with pytest.raises(StageRuleError, match="closed"):
        check_kind_change("won", has_history=False)


def test_non_process_deal_takes_a_staged_kind(deals_db: Database, fixed_now: datetime) -> None:
    with deals_db.write() as s:
        before = load_deal(s, "D5")
        update_deal(s, "D5", before.version, replace(before.draft, kind="project"))
    with deals_db.read() as s:
        after = load_deal(s, "D5")
        logs = {log.field: (log.old, log.new) for log in s.exec(
            select(ChangeLog).where(ChangeLog.entity == "deal", ChangeLog.record_key == "D5"))}
    assert after.draft.kind == "project" and after.stage_code == "lead"
    assert [(e.at, e.stage) for e in after.timeline] == [(fixed_now, "Lead")]
    assert logs["stage"][1] == "Lead" and logs["kind"] == ("longterm", "project")


def test_deal_with_history_keeps_its_kind(deals_db: Database) -> None:
    with deals_db.read() as s:
        before = load_deal(s, "D4")
    with pytest.raises(ValidationError, match="stage history") as raised, \
            deals_db.write() as s:
        update_deal(s, "D4", before.version, replace(before.draft, kind="longterm"))
    assert raised.value.field == "kind"


def test_closed_deal_is_not_edited(deals_db: Database) -> None:
    with deals_db.write() as s:
        reason = list_classifier(s, "loss_reason")[0].id
        lose_deal(s, "D1", load_deal(s, "D1").version, reason)
    with deals_db.read() as s:
        before = load_deal(s, "D1")
    with pytest.raises(ValidationError, match="reopen it to edit"), deals_db.write() as s:
        update_deal(s, "D1", before.version, replace(before.draft, name="Changed"))
