"""Claims store: registering from every source, saving, posting, plan, list, settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import select, text

from crm_tui.domain.claims import PlanTask
from crm_tui.domain.errors import ConflictError, DomainError, PermissionDenied, ValidationError
from crm_tui.store import repo_claims as repo
from crm_tui.store.audit import history
from crm_tui.store.database import Database
from crm_tui.store.models import Interaction
from crm_tui.store.repo_claims_list import (
    ClaimFilter,
    count_claims,
    fetch_claims,
    list_statement,
)
from crm_tui.store.settings import set_setting
from tests.support.login import set_login_for_tests
from tests.unit.claims.helpers import claim_record, load

AT = datetime(2026, 1, 15, 10, 0)


def draft(**extra: object) -> repo.ClaimDraft:
    values: dict[str, object] = {"partner_key": "P1", "reason_code": "defect",
                                 "registered_at": AT, "description": "Broken"}
    values.update(extra)
    return repo.ClaimDraft(**values)  # type: ignore[arg-type]


@pytest.fixture
def data(db: Database, fixed_now: datetime) -> Database:
    load(db, claim_record("CL-1"), {
        "type": "interaction", "id": "I1", "kind": "call", "topic": "Angry call",
        "at": "2026-01-14T10:00", "status": "done", "partner": "P1",
    })
    set_login_for_tests("ivanov")
    return db


def test_create_from_list_with_plan_and_audit(data: Database) -> None:
    tasks = (PlanTask("Check stock", "Count the boxes", due=date(2026, 1, 20),
                      assignee="petrov"),
             PlanTask("Call back", "Tell the result", date(2026, 1, 21), done=True))
    with data.write() as s:
        key = repo.create_claim(s, draft(tasks=tasks))
    with data.read() as s:
        view = repo.get_claim(s, key)
        log = history(s, "claim", key)
    assert key.startswith("CL-")
    assert view.manager == "ivanov" and view.source == "list"
    # A task without an assignee goes to the claim's manager.
    assert view.tasks == (tasks[0], replace(tasks[1], assignee="ivanov"))
    assert {e.action for e in log} == {"insert"}
    assert any(e.field == "plan" for e in log)


def test_create_refused_when_claims_switched_off(data: Database) -> None:
    with data.write() as s:
        set_setting(s, "claims_enabled", False)
    with pytest.raises(DomainError, match="switched off"), data.write() as s:
        repo.create_claim(s, draft())
    with data.read() as s:  # old claims are kept
        assert repo.get_claim(s, "CL-1").key == "CL-1"
        assert not repo.claims_enabled(s)


def test_discrepancy_act_needs_reference(data: Database) -> None:
    with pytest.raises(ValidationError), data.write() as s:
        repo.create_claim(s, draft(source="discrepancy_act"))
    with data.write() as s:
        key = repo.create_claim(s, draft(source="discrepancy_act",
                                         source_document="№ 5 of 01.01.2026"))
    with data.read() as s:
        assert repo.get_claim(s, key).source_document == "№ 5 of 01.01.2026"


def test_from_interaction_joins_chain(data: Database) -> None:
    with data.read() as s:
        brief = repo.interaction_brief(s, "I1")
    assert brief.partner_key == "P1" and brief.topic == "Angry call"
    with data.write() as s:
        key = repo.create_claim(s, draft(source="interaction", interaction_key="I1"))
    with data.read() as s:
        view = repo.get_claim(s, key)
        row = s.execute(select(Interaction).where(Interaction.key == "I1")).scalar_one()
        log = history(s, "interaction", "I1")
    assert row.subject_claim_id == view.id and row.version == 2
    assert view.chain_size == 1
    assert log[0].field == "subject"


def test_update_conflict_and_permissions(data: Database) -> None:
    with data.read() as s:
        view = repo.get_claim(s, "CL-1")
    with data.write() as s:
        repo.update_claim(s, "CL-1", view.version, draft(description="first", manager="ivanov"))
    with pytest.raises(ConflictError), data.write() as s:
        repo.update_claim(s, "CL-1", view.version, draft(description="second"))
    with data.read() as s:
        assert repo.changed_fields(s, "CL-1", draft(description="second"))
    set_login_for_tests("petrov")  # a manager, not the claim's
    with data.write() as s:
        s.execute(text("UPDATE app_user SET role='manager'"))
    with pytest.raises(PermissionDenied), data.write() as s:
        repo.update_claim(s, "CL-1", view.version + 1, draft())


def test_posting_rules_and_history(data: Database) -> None:
    with data.read() as s:
        version = repo.get_claim(s, "CL-1").version
    with pytest.raises(DomainError, match="open claim cannot be posted"), data.write() as s:
        repo.post_claim(s, "CL-1", version)
    with pytest.raises(ValidationError, match="resolution"), data.write() as s:
        repo.update_claim(s, "CL-1", version, draft(status="satisfied", resolved_at=AT))
    with data.write() as s:
        version = repo.update_claim(s, "CL-1", version, draft(
            status="satisfied", resolved_at=AT, resolution="Replaced"))
        version = repo.post_claim(s, "CL-1", version)
    with pytest.raises(DomainError, match="read-only"), data.write() as s:
        repo.update_claim(s, "CL-1", version, draft(status="satisfied", resolved_at=AT,
                                                   resolution="Changed"))
    with data.write() as s:
        version = repo.unpost_claim(s, "CL-1", version)
        repo.update_claim(s, "CL-1", version, draft(status="satisfied", resolved_at=AT,
                                                   resolution="Changed"))
    with data.read() as s:
        actions = [(e.action, e.user) for e in history(s, "claim", "CL-1")]
    assert ("post", "ivanov") in actions and ("unpost", "ivanov") in actions


def test_list_filters_progress_and_next_due(data: Database) -> None:
    tasks = (PlanTask("Late one", "a", due=date(2026, 1, 20)),
             PlanTask("Soon", "b", due=date(2026, 1, 17)),
             PlanTask("Done", "c", done=True, due=date(2026, 1, 1)))
    with data.write() as s:
        key = repo.create_claim(s, draft(tasks=tasks, manager="petrov"))
    with data.read() as s:
        rows = fetch_claims(s, ClaimFilter(), 0, 50)
        assert [r.key for r in rows] == [key, "CL-1"]
        first = rows[0]
        assert (first.tasks_done, first.tasks_total) == (1, 3)
        assert first.next_due == date(2026, 1, 17) and first.next_task == "Soon"
        assert count_claims(s, ClaimFilter(manager="petrov")) == 1
        assert count_claims(s, ClaimFilter(reason="late")) == 1
        assert count_claims(s, ClaimFilter(partner="P2")) == 0
        assert count_claims(s, ClaimFilter(status="open", posted=False)) == 2
        assert count_claims(s, ClaimFilter(posted=True)) == 0
        assert count_claims(s, ClaimFilter(date_from=date(2026, 1, 15))) == 1
        assert count_claims(s, ClaimFilter(date_to=date(2026, 1, 10))) == 1


def test_list_query_uses_indexes(data: Database) -> None:
    statement = list_statement(ClaimFilter(), 0, 50)
    with data.read() as s:
        compiled = statement.compile(s.get_bind(), compile_kwargs={"literal_binds": True})
        rows = s.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    plan = " | ".join(str(r[-1]) for r in rows)
    # The page's ids from the registration index, then its claims by id.
    assert "SCAN claim USING COVERING INDEX ix_claim_registered_at" in plan, plan
    assert "SEARCH claim USING INTEGER PRIMARY KEY" in plan, plan
    assert "SEARCH t USING" in plan and "ix_claim_task_claim_id" in plan, plan
    assert not any(str(r[-1]).startswith("SCAN t") for r in rows), plan


def test_a_deep_page_costs_what_the_first_does(data: Database) -> None:
    """OFFSET skips rows: the plan columns (four subqueries a claim) are computed for the
    page's claims only, not for every claim skipped (a page 4,000 claims down the huge demo
    set took 46 ms instead of 0.4 ms)."""
    with data.write() as s:
        columns = [row[1] for row in s.execute(text("PRAGMA table_info(claim)"))
                   if row[1] not in ("id", "key")]
        listed = ", ".join(columns)
        s.execute(text(
            f"INSERT INTO claim (key, {listed}) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
            f"SELECT i + 1 FROM n WHERE i < 1500) SELECT 'CL-X' || i, {listed} "
            "FROM claim, n WHERE claim.key = 'CL-1'"))

    def steps(offset: int) -> int:
        counted = [0]

        def count() -> int:
            counted[0] += 1
            return 0

        with data.read() as s:
            raw = s.connection().connection.dbapi_connection
            raw.set_progress_handler(count, 10)
            try:
                assert len(fetch_claims(s, ClaimFilter(), offset, 40)) == 40
            finally:
                raw.set_progress_handler(None, 10)
        return counted[0]

    first, deep = steps(0), steps(1400)
    assert deep < first * 3, (first, deep)


