"""Interaction lists: the inbox pages and the event calendar's period.

Every query is index-backed (see store/models_interactions.py):
- "in progress": status = in_progress and not snoozed, ordered by due = coalesce(review_after,
  at) ascending (what needs doing now first: overdue, then today, then later) —
  ix_interaction_status_due, or the manager/kind variant;
- "snoozed": in progress with review_after > now, the soonest to come back first —
  ix_interaction_status_review;
- "done": ordered by due descending — ix_interaction_status_due;
- "all": ordered by due descending — ix_interaction_due;
- a partner filter uses ix_interaction_partner_id (a partner has few interactions);
- the calendar reads one period: status = in_progress and at in [start, end) —
  ix_interaction_status_at; and the open claim-plan tasks due in it —
  ix_claim_task_open_due (store/repo_claim_tasks.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, Table, bindparam, func, or_, select, text
from sqlmodel import Session, SQLModel

from crm_tui.domain.enums import InteractionStatus
from crm_tui.store import models_interactions  # noqa: F401 - the due indexes

IN_PROGRESS = InteractionStatus.IN_PROGRESS.value
DONE = InteractionStatus.DONE.value


class InboxView(StrEnum):
    IN_PROGRESS = "in_progress"
    SNOOZED = "snoozed"
    DONE = "done"
    ALL = "all"


@dataclass(frozen=True)
class InboxFilter:
    """What the inbox shows: a view and optional kind, partner and manager filters."""

    view: InboxView = InboxView.IN_PROGRESS
    kind: str | None = None
    partner_key: str | None = None
    manager_login: str | None = None
    reverse: bool = False  # the view's order turned round (the same index, read backwards)


@dataclass(frozen=True)
class InboxItem:
    """One inbox row."""

    key: str
    kind: str
    topic: str
    at: datetime
    end: datetime | None
    status: str
    review_after: datetime | None
    partner_name: str | None
    manager_name: str | None
    version: int
    unknown_sender: bool = False  # an incoming e-mail no contact was found for


def _t(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _due(t: Table) -> Any:
    return func.coalesce(t.c.review_after, t.c.at)


def _id(session: Session, table: str, column: str, value: str) -> int:
    t = _t(table)
    found = session.execute(select(t.c.id).where(t.c[column] == value)).scalar()
    return -1 if found is None else int(found)


def _where(session: Session, f: InboxFilter, now: datetime) -> list[Any]:
    t = _t("interaction")
    conditions: list[Any] = []
    if f.view is InboxView.IN_PROGRESS:
        conditions += [t.c.status == IN_PROGRESS,
                       or_(t.c.review_after.is_(None), t.c.review_after <= now)]
    elif f.view is InboxView.SNOOZED:
        conditions += [t.c.status == IN_PROGRESS, t.c.review_after > now]
    elif f.view is InboxView.DONE:
        conditions.append(t.c.status == InteractionStatus.DONE.value)
    if f.kind:
        conditions.append(t.c.kind == f.kind)
    if f.partner_key:
        conditions.append(t.c.partner_id == _id(session, "partner", "key", f.partner_key))
    if f.manager_login:
        conditions.append(t.c.manager_id == _id(session, "app_user", "login", f.manager_login))
    return conditions


def _ordered(statement: Select[Any], f: InboxFilter) -> Select[Any]:
    t = _t("interaction")
    keys = [t.c.review_after, t.c.id] if f.view is InboxView.SNOOZED else [_due(t), t.c.id]
    # Work to do opens on the oldest due first; finished work on the latest first.
    ascending = f.view in (InboxView.IN_PROGRESS, InboxView.SNOOZED)
    if ascending == f.reverse:
        keys = [key.desc() for key in keys]
    return statement.order_by(*keys)


def inbox_count(session: Session, f: InboxFilter, now: datetime) -> int:
    """How many rows the inbox shows for `f`.

    Without a partner filter, from the counts kept in interaction_total (migrations 0007
    and, on PostgreSQL, 0017) less the snoozed items; otherwise the rows are counted."""
    if f.partner_key or f.view is InboxView.SNOOZED:
        return _counted(session, f, now)
    statuses = {InboxView.IN_PROGRESS: [IN_PROGRESS], InboxView.DONE: [DONE],
                InboxView.ALL: [IN_PROGRESS, DONE]}[f.view]
    conditions = ["status IN :statuses"]
    params: dict[str, Any] = {"statuses": statuses}
    if f.kind:
        conditions.append("kind = :kind")
        params["kind"] = f.kind
    if f.manager_login:
        conditions.append("manager_key = :manager")
        params["manager"] = _id(session, "app_user", "login", f.manager_login)
    kept = session.execute(
        text(f"SELECT coalesce(sum(items), 0) FROM interaction_total "
             f"WHERE {' AND '.join(conditions)}").bindparams(bindparam("statuses",
                                                                      expanding=True)),
        params).scalar()
    if f.view is InboxView.IN_PROGRESS:
        snoozed = InboxFilter(InboxView.SNOOZED, f.kind, None, f.manager_login)
        return int(kept or 0) - _counted(session, snoozed, now)
    return int(kept or 0)


def _counted(session: Session, f: InboxFilter, now: datetime) -> int:
    t = _t("interaction")
    statement = select(func.count()).select_from(t).where(*_where(session, f, now))
    return int(session.execute(statement).scalar() or 0)


def inbox_statement(session: Session, f: InboxFilter, now: datetime) -> Select[Any]:
    """The page query without LIMIT/OFFSET (tests check its plan)."""
    return _ordered(_inbox_columns().where(*_where(session, f, now)), f)


def _inbox_columns() -> Select[Any]:
    """What an inbox line shows: the interaction with its partner's and manager's names."""
    t, partner, user = _t("interaction"), _t("partner"), _t("app_user")
    return (
        select(t.c.key, t.c.kind, t.c.topic, t.c.at, t.c.end, t.c.status, t.c.review_after,
               t.c.version, partner.c.name.label("p_name"), user.c.name.label("u_name"),
               t.c.direction)
        .select_from(t.outerjoin(partner, partner.c.id == t.c.partner_id)
                     .outerjoin(user, user.c.id == t.c.manager_id)))


def inbox_page_statement(session: Session, f: InboxFilter, now: datetime, offset: int,
                         limit: int) -> Select[Any]:
    """A page: its ids first, then their rows (with OFFSET alone the columns and joined
    names of every row it skipped were read: 3,000 rows down the huge demo set 32 ms
    instead of 2 ms, 20,000 down 640 ms)."""
    t = _t("interaction")
    page = _ordered(select(t.c.id).where(*_where(session, f, now)), f).offset(offset).limit(limit)
    return _ordered(_inbox_columns().where(t.c.id.in_(page)), f)


def inbox_page(session: Session, f: InboxFilter, now: datetime, offset: int,
               limit: int) -> list[InboxItem]:
    """One page of the inbox."""
    statement = inbox_page_statement(session, f, now, offset, limit)
    return [
        InboxItem(row.key, row.kind, row.topic, row.at, row.end, row.status, row.review_after,
                  row.p_name, row.u_name, row.version,
                  row.p_name is None and row.kind == "email" and row.direction == "incoming")
        for row in session.execute(statement)
    ]


@dataclass(frozen=True)
class CalendarItem:
    """An in-progress interaction, or an open claim-plan task (kind "task"), placed on the
    calendar. `key` is unique among the items; `opens` is the record Enter opens."""

    key: str
    kind: str
    topic: str
    at: datetime
    end: datetime | None
    place: str | None
    text: str | None
    partner_name: str | None
    manager_login: str | None
    opens: tuple[str, str] | None = None  # (record kind, key); None: the interaction `key`

    @property
    def record(self) -> tuple[str, str]:
        return self.opens or ("interaction", self.key)


def calendar_statement(start: datetime, end: datetime,
                       manager_login: str | None = None) -> Select[Any]:
    """In-progress interactions starting in [start, end), in time order."""
    t, partner, user = _t("interaction"), _t("partner"), _t("app_user")
    statement = (
        select(t.c.key, t.c.kind, t.c.topic, t.c.at, t.c.end, t.c.place, t.c.text,
               partner.c.name.label("p_name"), user.c.login.label("u_login"))
        .select_from(t.outerjoin(partner, partner.c.id == t.c.partner_id)
                     .outerjoin(user, user.c.id == t.c.manager_id))
        .where(t.c.status == IN_PROGRESS, t.c.at >= start, t.c.at < end)
        .order_by(t.c.at, t.c.id)
    )
    if manager_login:
        statement = statement.where(user.c.login == manager_login)
    return statement


def calendar_items(session: Session, start: datetime, end: datetime,
                   manager_login: str | None = None, limit: int = 5000) -> list[CalendarItem]:
    """The calendar's items of one period (at most `limit` of each kind): in-progress
    interactions and the open claim-plan tasks due in it, in time order (a task at the
    start of its due day; it is overdue once that day is over)."""
    statement = calendar_statement(start, end, manager_login).limit(limit)
    items = [
        CalendarItem(row.key, row.kind, row.topic, row.at, row.end, row.place, row.text,
                     row.p_name, row.u_login)
        for row in session.execute(statement)
    ]
    tasks = calendar_tasks(session, start, end, manager_login, limit)
    return sorted(items + tasks, key=lambda item: item.at) if tasks else items


def calendar_tasks(session: Session, start: datetime, end: datetime,
                   manager_login: str | None = None, limit: int = 5000) -> list[CalendarItem]:
    """The open claim-plan tasks due in [start, end) as calendar items (all-day, at the start
    of their due day)."""
    from crm_tui.store.repo_claim_tasks import tasks_between

    # Tasks are due on days: those whose day starts in [start, end).
    first = start.date() if start.time() == time() or start.date() == date.max else (
        start.date() + timedelta(days=1))
    last = end.date() if end.time() == time() else (
        None if end.date() == date.max else end.date() + timedelta(days=1))
    return [
        CalendarItem(f"task-{task.id}", "task", task.name,
                     datetime.combine(task.due, time()),
                     datetime.combine(task.due + timedelta(days=1), time()), None,
                     task.description, task.partner_name, task.assignee_login,
                     ("claim", task.claim_key))
        for task in tasks_between(session, first, last, manager_login, limit) if task.due
    ]


@dataclass(frozen=True)
class Choice:
    """A value for a filter or a field: its key and what to show."""

    key: str
    title: str


def managers(session: Session) -> list[Choice]:
    """Every user, by name (a small table)."""
    user = _t("app_user")
    rows = session.execute(select(user.c.login, user.c.name).order_by(user.c.name))
    return [Choice(row.login, row.name) for row in rows]


def contacts_of(session: Session, partner_key: str) -> list[Choice]:
    """The contacts of a partner, by name."""
    contact, partner = _t("contact"), _t("partner")
    rows = session.execute(
        select(contact.c.key, contact.c.name)
        .join(partner, partner.c.id == contact.c.partner_id)
        .where(partner.c.key == partner_key).order_by(contact.c.name).limit(500))
    return [Choice(row.key, row.name) for row in rows]


def partner_name(session: Session, partner_key: str) -> str | None:
    partner = _t("partner")
    return session.execute(select(partner.c.name).where(partner.c.key == partner_key)).scalar()
