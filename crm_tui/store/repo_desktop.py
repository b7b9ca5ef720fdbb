"""The manager's desktop (Home) and the in-app reminders: a manager's interactions due today
or overdue, their claim-plan tasks due, their open deals needing attention.

SQLAlchemy Core on a plain connection, with light table clauses instead of the models: Home
reads this before the app imports the ORM (~300 ms). Lists of a few hundred rows at most,
read in a worker. Whose work: `login` (None: every manager's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Integer,
    String,
    TableClause,
    column,
    func,
    or_,
    select,
    table,
    true,
)
from sqlalchemy.engine import Connection

from crm_tui.domain.enums import UserRole
from crm_tui.domain.interactions import WorkDay
from crm_tui.store.setting_defaults import read_plain
from crm_tui.store.users import current_role

LIMIT = 200  # per list: the desktop is a day's work, not a report


@dataclass(frozen=True)
class WorkItem:
    """One line of the desktop. `kind` is the record it opens ("interaction", "claim" for a
    plan task, "deal"); `key` that record's key. `reason` says why a deal is listed
    ("quiet": no interaction for `days` days; "stage": `days` days in its stage)."""

    kind: str
    key: str
    title: str
    due: datetime | None = None
    partner: str = ""
    manager: str = ""
    version: int = 0
    task_seq: int = 0
    reason: str = ""
    days: int = 0


@dataclass(frozen=True)
class Attention:
    """When an open deal needs attention (the settings desktop_quiet_days, desktop_stage_days)."""

    quiet_days: int = 14
    stage_days: int = 30


@dataclass(frozen=True)
class Desktop:
    interactions: list[WorkItem]
    tasks: list[WorkItem]
    deals: list[WorkItem]
    can_switch: bool  # the current user may look at other managers' work


def _ids(*names: str) -> list[Any]:
    return [column(name, Integer) for name in names]


# The columns these reads use (the models are in store/models.py).
_TABLES: dict[str, TableClause] = {
    "interaction": table("interaction", *_ids("id", "version", "partner_id", "manager_id",
                                              "subject_deal_id"),
                         column("key", String), column("topic", String),
                         column("status", String), column("at", DateTime),
                         column("review_after", DateTime)),
    "claim_task": table("claim_task", *_ids("claim_id", "seq", "assignee_id"),
                        column("name", String), column("due", Date),
                        column("done", Boolean)),
    "claim": table("claim", *_ids("id", "partner_id", "manager_id"), column("key", String),
                   column("status", String)),
    "deal": table("deal", *_ids("id", "partner_id", "manager_id"), column("key", String),
                  column("name", String), column("status", String),
                  column("created_at", DateTime), column("stage_at", DateTime)),
    "partner": table("partner", *_ids("id"), column("name", String)),
    "app_user": table("app_user", *_ids("id"), column("login", String),
                      column("name", String)),
}


def _t(name: str) -> TableClause:
    return _TABLES[name]


def _user_id(session: Connection, login: str) -> int | None:
    user = _t("app_user")
    return session.execute(select(user.c.id).where(user.c.login == login)).scalar()


def can_see_others(session: Connection) -> bool:
    """Supervisors and administrators may switch the desktop to other managers."""
    return current_role(session) in (UserRole.SUPERVISOR, UserRole.ADMIN)


def _owner(column: Any, user_id: int | None, login: str | None) -> ColumnElement[bool]:
    if login is None:
        return true()
    return column == user_id


def interactions_due(session: Connection, login: str | None, end: datetime,
                     *, since: datetime | None = None) -> list[WorkItem]:
    """In-progress interactions of `login` due before `end` (and after `since` when given),
    the oldest first. Due: review_after when set, else the time (domain.interactions)."""
    i, p, u = _t("interaction"), _t("partner"), _t("app_user")
    due = func.coalesce(i.c.review_after, i.c.at)
    user_id = _user_id(session, login) if login else None
    if login is not None and user_id is None:
        return []  # a user without a row has no work
    where = [i.c.status == "in_progress", due < end, _owner(i.c.manager_id, user_id, login)]
    if since is not None:
        where.append(due > since)
    rows = session.execute(
        select(i.c.key, i.c.topic, due.label("due"), i.c.version, p.c.name.label("partner"),
               u.c.name.label("manager"))
        .outerjoin(p, p.c.id == i.c.partner_id).outerjoin(u, u.c.id == i.c.manager_id)
        .where(*where).order_by(due, i.c.id).limit(LIMIT))
    return [WorkItem("interaction", r.key, r.topic, r.due, r.partner or "", r.manager or "",
                     r.version) for r in rows]


def tasks_due(session: Connection, login: str | None, until: date, day: WorkDay,
              *, after: date | None = None) -> list[WorkItem]:
    """Open claim-plan tasks of `login` due on or before `until` (after `after` when given),
    the oldest first. A task is `login`'s when assigned to them, or, unassigned, when the
    claim is theirs. Its moment is the start of the working hours on its due day.

    The one place that reads tasks for the desktop and the reminders: when tasks gain other
    assignment fields, adapt this function."""
    t, c, p, u = _t("claim_task"), _t("claim"), _t("partner"), _t("app_user")
    owner_id = func.coalesce(t.c.assignee_id, c.c.manager_id)
    user_id = _user_id(session, login) if login else None
    if login is not None and user_id is None:
        return []
    where = [t.c.done.is_(False), t.c.due.is_not(None), t.c.due <= until,
             c.c.status == "open", _owner(owner_id, user_id, login)]
    if after is not None:
        where.append(t.c.due > after)
    rows = session.execute(
        select(c.c.key, t.c.seq, t.c.name, t.c.due, p.c.name.label("partner"),
               u.c.name.label("manager"))
        .join(c, c.c.id == t.c.claim_id).outerjoin(p, p.c.id == c.c.partner_id)
        .outerjoin(u, u.c.id == owner_id)
        .where(*where).order_by(t.c.due, c.c.key, t.c.seq).limit(LIMIT))
    return [WorkItem("claim", r.key, r.name, datetime.combine(r.due, time(day.start_hour)),
                     r.partner or "", r.manager or "", task_seq=r.seq) for r in rows]


def deals_needing_attention(session: Connection, login: str | None, now: datetime,
                            attention: Attention) -> list[WorkItem]:
    """Open deals of `login` with no interaction for `quiet_days` days (since the deal was
    made, when it has none) or in their current stage for longer than `stage_days`; the
    longest waiting first."""
    d, i, p, u = _t("deal"), _t("interaction"), _t("partner"), _t("app_user")
    user_id = _user_id(session, login) if login else None
    if login is not None and user_id is None:
        return []
    last = (select(func.max(i.c.at)).where(i.c.subject_deal_id == d.c.id)
            .correlate(d).scalar_subquery())
    # The last interaction is looked up once per open deal (in a subquery: written in the
    # WHERE and ORDER BY, it was looked up three times), and names are joined to the page
    # picked only.
    opened = (select(d.c.key, d.c.name, d.c.partner_id, d.c.manager_id, d.c.stage_at,
                     func.coalesce(last, d.c.created_at).label("touched"))
              .where(d.c.status == "open", _owner(d.c.manager_id, user_id, login))
              .subquery("opened"))
    quiet_before = now - timedelta(days=attention.quiet_days)
    stage_before = now - timedelta(days=attention.stage_days)
    picked = (select(opened).where(or_(opened.c.touched < quiet_before,
                                       opened.c.stage_at < stage_before))
              .order_by(opened.c.touched, opened.c.key).limit(LIMIT).subquery("picked"))
    rows = session.execute(
        select(picked.c.key, picked.c.name, picked.c.touched, picked.c.stage_at,
               p.c.name.label("partner"), u.c.name.label("manager"))
        .outerjoin(p, p.c.id == picked.c.partner_id)
        .outerjoin(u, u.c.id == picked.c.manager_id)
        .order_by(picked.c.touched, picked.c.key))
    items = []
    for r in rows:
        quiet = (now - r.touched).days
        staged = (now - r.stage_at).days if r.stage_at is not None else 0
        reason, days = ("quiet", quiet) if r.touched < quiet_before else ("stage", staged)
        items.append(WorkItem("deal", r.key, r.name, None, r.partner or "", r.manager or "",
                              reason=reason, days=days))
    return items


def managers(session: Connection) -> list[tuple[str, str]]:
    """Every user's (login, name), by name (a small table)."""
    user = _t("app_user")
    rows = session.execute(select(user.c.login, user.c.name).order_by(user.c.name))
    return [(row.login, row.name) for row in rows]


def attention_settings(session: Connection) -> Attention:
    values = read_plain(session, "desktop_quiet_days", "desktop_stage_days")
    return Attention(int(values["desktop_quiet_days"]), int(values["desktop_stage_days"]))


def desktop(session: Connection, login: str | None, now: datetime, day: WorkDay,
            attention: Attention) -> Desktop:
    """Everything Home lists for `login` (None: all managers) at `now`."""
    tomorrow = datetime.combine(now.date() + timedelta(days=1), time())
    return Desktop(interactions_due(session, login, tomorrow),
                   tasks_due(session, login, now.date(), day),
                   deals_needing_attention(session, login, now, attention),
                   can_see_others(session))


def reminders(session: Connection, login: str, since: datetime, now: datetime,
              day: WorkDay) -> list[WorkItem]:
    """What came due for `login` in (since, now]: interactions (a snoozed one coming back
    too) and claim tasks, whose moment is the start of work on their due day."""
    found = interactions_due(session, login, now + timedelta(microseconds=1), since=since)
    start = time(day.start_hour)
    last_day = now.date() if now.time() >= start else now.date() - timedelta(days=1)
    first_day = since.date() if since.time() >= start else since.date() - timedelta(days=1)
    if last_day > first_day:
        found += tasks_due(session, login, last_day, day, after=first_day)
    return found
