"""Claim-plan tasks as assignments: mandatory name, description and due date, the claim's
manager as the default assignee, when a task was done, "My tasks", the tasks Home reads,
marking done from a list, posting with open tasks, the calendar and its .ics."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import text

from crm_tui.domain import claims as rules
from crm_tui.domain.claim_tasks import TaskStanding, standing
from crm_tui.domain.claims import PlanTask
from crm_tui.domain.errors import DomainError, PermissionDenied, ValidationError
from crm_tui.store import repo_claim_tasks as tasks_repo
from crm_tui.store import repo_claims as repo
from crm_tui.store.audit import history
from crm_tui.store.database import Database
from crm_tui.store.settings import set_setting
from tests.support.login import set_login_for_tests
from tests.unit.claims.helpers import claim_record, load

TODAY = date(2026, 1, 15)  # FIXED_NOW's day


def _task(name: str, due: str, assignee: str | None = None,
          done: bool = False) -> dict[str, object]:
    task: dict[str, object] = {"name": name, "description": f"do {name}", "due": due,
                               "done": done}
    if assignee:
        task["assignee"] = assignee
    return task


@pytest.fixture
def data(db: Database, fixed_now: datetime) -> Database:
    load(db,
         claim_record("CL-1", tasks=[_task("Late", "2026-01-10", "ivanov"),
                                     _task("Today", "2026-01-15"),  # the manager's: ivanov
                                     _task("Petrov's", "2026-01-12", "petrov"),
                                     _task("Done", "2026-01-01", "ivanov", done=True)]),
         claim_record("CL-2", manager="petrov",
                      tasks=[_task("Later", "2026-02-01", "ivanov"),
                             _task("Petrov later", "2026-01-20")]),
         claim_record("CL-3", status="satisfied", posted=True, resolved_at="2026-01-12T10:00",
                      resolution="Refund", tasks=[_task("Final", "2026-01-11", "ivanov")]))
    set_login_for_tests("ivanov")
    return db


# ------------------------------------------------------------------------------ domain
@pytest.mark.parametrize(("task", "field"), [
    (PlanTask("", "what", date(2026, 1, 1)), "name"),
    (PlanTask("Call", "  ", date(2026, 1, 1)), "description"),
    (PlanTask("Call", "Ask about the boxes", None), "due"),
])
def test_a_task_needs_name_description_and_due(task: PlanTask, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        rules.check_task(task)
    assert raised.value.field == field


def test_a_task_without_assignee_goes_to_the_default() -> None:
    task = rules.check_task(PlanTask("Call", " Ask ", date(2026, 1, 1)), "ivanov")
    assert (task.assignee, task.description) == ("ivanov", "Ask")
    kept = rules.check_task(PlanTask("Call", "Ask", date(2026, 1, 1), "petrov"), "ivanov")
    assert kept.assignee == "petrov"


def test_done_remembers_when() -> None:
    task = PlanTask("Call", "Ask", date(2026, 1, 1))
    done = rules.set_done(task, True, datetime(2026, 1, 3, 9, 0))
    assert done.done and done.done_at == datetime(2026, 1, 3, 9, 0)
    assert rules.set_done(done, True, datetime(2026, 2, 1)) is done
    again = rules.set_done(done, False, datetime(2026, 1, 4))
    assert not again.done and again.done_at is None


def test_standing_against_the_due_date() -> None:
    due = date(2026, 1, 10)
    assert standing(due, True, datetime(2026, 1, 10, 23, 0), TODAY) is TaskStanding.DONE_ON_TIME
    assert standing(due, True, datetime(2026, 1, 11, 8, 0), TODAY) is TaskStanding.DONE_LATE
    assert standing(due, True, None, TODAY) is TaskStanding.DONE_ON_TIME  # time not recorded
    assert standing(due, False, None, TODAY) is TaskStanding.OPEN_OVERDUE
    assert standing(TODAY, False, None, TODAY) is TaskStanding.OPEN
    assert standing(None, False, None, TODAY) is TaskStanding.OPEN


def test_posting_with_open_tasks_where_forbidden() -> None:
    rules.check_can_post_with(0, False)
    rules.check_can_post_with(2, True)
    with pytest.raises(DomainError, match="open tasks in the action plan: 2"):
        rules.check_can_post_with(2, False)


# ------------------------------------------------------------------------------- store
def test_saving_refuses_a_task_without_due_date(data: Database) -> None:
    claim = _draft(data, "CL-1")
    with pytest.raises(ValidationError) as raised, data.write() as s:
        repo.update_claim(s, "CL-1", 1, claim.__class__(**{
            **claim.__dict__, "tasks": (*claim.tasks, PlanTask("New", "Do it", None))}))
    assert raised.value.field == "due"


def _draft(data: Database, key: str) -> repo.ClaimDraft:
    with data.read() as s:
        view = repo.get_claim(s, key)
    return repo.ClaimDraft(view.partner_key, view.reason_code, view.registered_at,
                           view.description, view.manager, view.status, view.resolved_at,
                           view.resolution, view.source, view.source_document,
                           tasks=view.tasks)


def test_done_time_is_saved_with_the_plan(data: Database) -> None:
    claim = _draft(data, "CL-1")
    marked = rules.set_done(claim.tasks[0], True, datetime(2026, 1, 15, 10, 30))
    with data.write() as s:
        repo.update_claim(s, "CL-1", 1, claim.__class__(**{
            **claim.__dict__, "tasks": (marked, *claim.tasks[1:])}))
    assert _draft(data, "CL-1").tasks[0].done_at == datetime(2026, 1, 15, 10, 30)


def test_my_tasks_overdue_first_without_done_or_posted(data: Database) -> None:
    with data.read() as s:
        mine = tasks_repo.my_tasks(s, "ivanov")
        everyone = tasks_repo.my_tasks(s, None)
        petrov = tasks_repo.my_tasks(s, "petrov")
    assert [(t.claim_key, t.name) for t in mine] == [
        ("CL-1", "Late"), ("CL-1", "Today"), ("CL-2", "Later")]
    assert mine[1].assignee_login == "ivanov"  # no assignee: the claim's manager
    assert [t.name for t in petrov] == ["Petrov's", "Petrov later"]
    assert len(everyone) == 5


def test_tasks_due_for_home(data: Database) -> None:
    """The one store function Home uses: a user's open tasks due by a day, overdue first."""
    with data.read() as s:
        ivanov = s.execute(text("SELECT id FROM app_user WHERE login = 'ivanov'")).scalar_one()
        due = tasks_repo.tasks_due_for(s, ivanov, TODAY)
        all_due = tasks_repo.tasks_due_for(s, None, TODAY)
    assert [t.name for t in due] == ["Late", "Today"]
    assert [t.name for t in all_due] == ["Late", "Petrov's", "Today"]


def test_tasks_of_a_null_assignee_follow_the_manager(data: Database) -> None:
    """Older data has tasks with no assignee at all: they are the claim's manager's."""
    with data.write() as s:
        s.execute(text("UPDATE claim_task SET assignee_id = NULL WHERE name = 'Late'"))
    with data.read() as s:
        assert "Late" in [t.name for t in tasks_repo.my_tasks(s, "ivanov")]


def test_mark_done_from_the_list(data: Database) -> None:
    with data.read() as s:
        late = next(t for t in tasks_repo.my_tasks(s, "ivanov") if t.name == "Late")
    with data.write() as s:
        assert tasks_repo.set_task_done(s, late.id, True) == "CL-1"
    view = _draft(data, "CL-1")
    with data.read() as s:
        version = repo.get_claim(s, "CL-1").version
        log = history(s, "claim", "CL-1")
        assert "Late" not in [t.name for t in tasks_repo.my_tasks(s, "ivanov")]
    assert view.tasks[0].done and view.tasks[0].done_at == datetime(2026, 1, 15, 10, 30)
    assert version == 2  # a form open on the claim sees the change as a conflict
    assert any(e.field == "task" and e.new == "[x] Late" for e in log)


def test_mark_done_refused_for_someone_elses_task(data: Database) -> None:
    with data.read() as s:
        theirs = next(t for t in tasks_repo.my_tasks(s, "petrov") if t.name == "Petrov later")
    with pytest.raises(PermissionDenied), data.write() as s:
        tasks_repo.set_task_done(s, theirs.id, True)


def test_mark_done_refused_on_a_posted_claim(data: Database) -> None:
    with data.read() as s:
        final = s.execute(text("SELECT id FROM claim_task WHERE name = 'Final'")).scalar_one()
    with pytest.raises(DomainError, match="posted"), data.write() as s:
        tasks_repo.set_task_done(s, final, True)


def test_posting_with_open_tasks_follows_the_setting(data: Database) -> None:
    claim = _draft(data, "CL-2")
    resolved = claim.__class__(**{**claim.__dict__, "status": "satisfied",
                                  "resolved_at": datetime(2026, 1, 15, 10, 0),
                                  "resolution": "Refund"})
    set_login_for_tests("petrov")
    with data.write() as s:
        version = repo.update_claim(s, "CL-2", 1, resolved)
        set_setting(s, "claims_post_with_open_tasks", False)
    with pytest.raises(DomainError, match="open tasks in the action plan: 2"), data.write() as s:
        repo.post_claim(s, "CL-2", version)
    with data.write() as s:
        set_setting(s, "claims_post_with_open_tasks", True)
    with data.write() as s:
        repo.post_claim(s, "CL-2", version)


def test_migration_0016_keeps_tasks_and_adds_done_at(data: Database) -> None:
    """Down to 0015_desktop (no done_at) and up again: the tasks stay, done_at is NULL (never
    recorded), the open-task indexes are there."""
    from alembic import command

    from crm_tui.store.migrate import alembic_config, current_revision, head_revision

    with data.write() as s:
        s.execute(text("UPDATE claim_task SET done_at = '2026-01-01 10:00:00.000000' "
                       "WHERE name = 'Done'"))
    for revision, step in (("0015_desktop", command.downgrade),
                           (head_revision(), command.upgrade)):
        with data.engine.connect() as connection:
            connection = connection.execution_options(crm_write=True)
            with connection.begin():
                step(alembic_config(connection), revision)
        if revision == "0015_desktop":
            with data.read() as s:
                columns = [row[1] for row in s.execute(text("PRAGMA table_info(claim_task)"))]
            assert "done_at" not in columns
    assert current_revision(data.engine) == head_revision()
    with data.read() as s:
        rows = s.execute(text("SELECT name, done, done_at FROM claim_task ORDER BY id")).all()
        indexes = {row[1] for row in s.execute(text("PRAGMA index_list(claim_task)"))}
    assert len(rows) == 7 and all(row[2] is None for row in rows)
    assert {"ix_claim_task_assignee_open", "ix_claim_task_open_due"} <= indexes
