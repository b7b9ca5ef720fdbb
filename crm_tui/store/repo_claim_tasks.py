"""Claim-plan tasks as assignments, across claims: "My tasks", the tasks Home and the
calendar show, and marking a task done from a list (the per-assignee task report is
reports/claim_tasks.py).

A task's assignee is its own, or (none given, as in older data) its claim's manager. Tasks
of posted claims are final and left out of the working lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, false, func, or_, select, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from crm_tui.domain import clock
from crm_tui.domain.claims import check_not_posted
from crm_tui.domain.enums import UserRole
from crm_tui.domain.errors import NotFoundError, PermissionDenied
from crm_tui.i18n import _
from crm_tui.store import audit
from crm_tui.store.repo_claims_tables import app_user, claim, claim_task, partner
from crm_tui.store.users import ensure_current_user
from crm_tui.store.versioning import update_versioned

_assignee = app_user.alias("assignee")
# The user a task is assigned to: its own assignee, else its claim's manager.
ASSIGNEE_ID: ColumnElement[Any] = func.coalesce(claim_task.c.assignee_id, claim.c.manager_id)


@dataclass(frozen=True)
class TaskLine:
    """One task as the lists show it, with the claim it belongs to."""

    id: int
    claim_key: str
    partner_name: str
    name: str
    description: str
    due: date | None
    done: bool
    assignee_login: str | None
    assignee_name: str | None


def _assigned_to(user_id: int) -> ColumnElement[bool]:
    # Written as an OR of the two cases (not on ASSIGNEE_ID) so that the first can use
    # ix_claim_task_assignee_open.
    return or_(claim_task.c.assignee_id == user_id,
               and_(claim_task.c.assignee_id.is_(None), claim.c.manager_id == user_id))


def _lines() -> Select[Any]:
    return (
        select(claim_task.c.id, claim.c.key, partner.c.name, claim_task.c.name,
               claim_task.c.description, claim_task.c.due, claim_task.c.done,
               _assignee.c.login, _assignee.c.name)
        .select_from(claim_task.join(claim, claim.c.id == claim_task.c.claim_id)
                     .join(partner, partner.c.id == claim.c.partner_id)
                     .outerjoin(_assignee, _assignee.c.id == ASSIGNEE_ID))
        .where(claim.c.posted == false())
    )


def _rows(session: Session, statement: Select[Any]) -> list[TaskLine]:
    return [TaskLine(row[0], row[1], row[2], row[3], row[4] or "", row[5], bool(row[6]),
                     row[7], row[8]) for row in session.execute(statement)]


def _user_id(session: Session, login: str) -> int | None:
    return session.execute(select(app_user.c.id).where(app_user.c.login == login)).scalar()


def open_tasks_statement(user_id: int | None) -> Select[Any]:
    """Open tasks of unposted claims (of one assignee, or everyone's), due first: an
    overdue task has the earliest due date, a task without one comes last."""
    statement = (_lines().where(claim_task.c.done == false())
                 .order_by(claim_task.c.due.is_(None), claim_task.c.due, claim.c.key,
                           claim_task.c.seq))
    if user_id is not None:
        statement = statement.where(_assigned_to(user_id))
    return statement


def my_tasks(session: Session, assignee_login: str | None, limit: int = 2000,
             offset: int = 0) -> list[TaskLine]:
    """The open tasks assigned to `assignee_login` (None: everyone's), overdue first."""
    user_id = None
    if assignee_login is not None:
        user_id = _user_id(session, assignee_login)
        if user_id is None:
            return []
    return _rows(session, open_tasks_statement(user_id).offset(offset).limit(limit))


def count_my_tasks(session: Session, assignee_login: str | None,
                   today: date) -> tuple[int, int]:
    """(open, overdue) tasks of `assignee_login` (None: everyone's), as my_tasks lists them."""
    user_id = None
    if assignee_login is not None:
        user_id = _user_id(session, assignee_login)
        if user_id is None:
            return 0, 0
    inner = open_tasks_statement(user_id).order_by(None).subquery()
    row = session.execute(select(
        func.count(), func.count().filter(inner.c.due < today))).one()
    return int(row[0]), int(row[1])


def tasks_due_for(session: Session, user_id: int | None, until: date,
                  limit: int = 500) -> list[TaskLine]:
    """The open tasks of `user_id` (None: everyone's) due on or before `until`, overdue
    ones included, earliest first: what Home lists as the day's tasks."""
    statement = open_tasks_statement(user_id).where(claim_task.c.due <= until)
    return _rows(session, statement.limit(limit))


def tasks_between(session: Session, start: date, end: date | None,
                  assignee_login: str | None = None, limit: int = 5000) -> list[TaskLine]:
    """Open tasks due in [start, end) (the calendar's period; end None: no end)."""
    statement = open_tasks_statement(None).where(claim_task.c.due >= start)
    if end is not None:
        statement = statement.where(claim_task.c.due < end)
    if assignee_login:
        statement = statement.where(_assignee.c.login == assignee_login)
    return _rows(session, statement.limit(limit))


def task_id(session: Session, claim_key: str, seq: int) -> int:
    """The id of the task number `seq` of the claim `claim_key` (Home's lines name tasks so)."""
    found = session.execute(
        select(claim_task.c.id).join(claim, claim.c.id == claim_task.c.claim_id)
        .where(claim.c.key == claim_key, claim_task.c.seq == seq)).scalar()
    if found is None:
        raise NotFoundError(_("the task is no longer in its claim's plan; the list is reloaded"))
    return int(found)


def set_task_done(session: Session, task_id: int, done: bool) -> str:
    """Mark a task done (remembering when) or open again, from a list; the claim's key.

    Its assignee may do it, and whoever may edit the claim. The claim's version goes up,
    so a form open on it meanwhile sees the change as a conflict, not a lost update."""
    row = session.execute(
        select(claim.c.id, claim.c.key, claim.c.version, claim.c.posted, claim.c.manager_id,
               claim_task.c.name, claim_task.c.done, ASSIGNEE_ID.label("assignee_id"))
        .join(claim, claim.c.id == claim_task.c.claim_id)
        .where(claim_task.c.id == task_id)
    ).first()
    if row is None:
        raise NotFoundError(_("the task is no longer in its claim's plan; the list is reloaded"))
    user = ensure_current_user(session)
    if (row.assignee_id != user.id and row.manager_id not in (None, user.id)
            and user.role not in (UserRole.SUPERVISOR, UserRole.ADMIN)):
        raise PermissionDenied(_("only the task's assignee or the claim's manager can mark it"))
    check_not_posted(bool(row.posted))
    if bool(row.done) == done:
        return str(row.key)
    session.execute(update(claim_task).where(claim_task.c.id == task_id)
                    .values(done=done, done_at=clock.now() if done else None))
    update_versioned(session, "claim", row.id, row.version, {})
    mark = ("[x] " if done else "[ ] ") + row.name
    audit.record(session, "claim", row.key, "update",
                 {"task": (("[x] " if row.done else "[ ] ") + row.name, mark)})
    return str(row.key)
