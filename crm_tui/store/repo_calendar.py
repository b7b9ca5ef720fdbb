"""The event calendar's period as its grid shows it: how many items each day holds, and the
first of them in time order (store/repo_interactions_lists.py reads the items themselves).

A period used to be read whole up to 5,000 items: a busy month (the `large` demo holds
15,000 in-progress interactions in one) showed its later days empty and its count short.
Now every day is counted in full and only its first `per_day` items are read; a day holding
more is read on its own when it is selected (calendar_day: its first 500)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlmodel import Session

from crm_tui.store.repo_interactions_lists import (
    IN_PROGRESS,
    CalendarItem,
    _t,
    calendar_items,
    calendar_tasks,
)

PER_DAY = 50  # enough for every day of a week or month grid and its day list, as a rule
# The day list's longest: a day of the huge demo holds 20,000 items, and building that many
# options froze the screen for seconds on each move; the list says how many more there are.
DAY_LIST = 500


@dataclass(frozen=True)
class CalendarPeriod:
    """What the grid of [start, end) shows."""

    items: list[CalendarItem]  # each day's first PER_DAY interactions, and its open tasks
    counts: dict[date, int] = field(default_factory=dict)  # each day's items, all of them
    overdue: int = 0  # the period's items whose time has passed

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def is_whole(self, day: date) -> bool:
        """Whether every item of `day` is among `items`."""
        return sum(1 for item in self.items if item.at.date() == day) >= self.counts.get(day, 0)


def _day(value: Any) -> date:
    """A day as the database gives `date(at)`: a date (PostgreSQL) or its ISO text (SQLite)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def calendar_period(session: Session, start: datetime, end: datetime, now: datetime,
                    manager_login: str | None = None, per_day: int = PER_DAY) -> CalendarPeriod:
    """Every day of [start, end) counted, and its first `per_day` interactions read (by
    ix_interaction_status_at, as calendar_items); the open claim-plan tasks due in the period
    (few: all of them) are read and counted with them."""
    t, partner, user = _t("interaction"), _t("partner"), _t("app_user")
    day = func.date(t.c.at)
    wanted = [t.c.status == IN_PROGRESS, t.c.at >= start, t.c.at < end]
    joined = t.outerjoin(user, user.c.id == t.c.manager_id)
    if manager_login:
        wanted.append(user.c.login == manager_login)
    late = case((func.coalesce(t.c.end, t.c.at) < now, 1), else_=0)
    counted = select(day.label("day"), func.count().label("n"), func.sum(late).label("late"))
    counts: dict[date, int] = {}
    overdue = 0
    for row in session.execute(counted.select_from(joined).where(*wanted).group_by(day)):
        counts[_day(row.day)] = int(row.n)
        overdue += int(row.late or 0)
    ranked = (
        select(t.c.key, t.c.kind, t.c.topic, t.c.at, t.c.end, t.c.place, t.c.text,
               partner.c.name.label("p_name"), user.c.login.label("u_login"),
               func.row_number().over(partition_by=day, order_by=(t.c.at, t.c.id))
               .label("rank"))
        .select_from(joined.outerjoin(partner, partner.c.id == t.c.partner_id))
        .where(*wanted)
        .subquery())
    first = select(ranked).where(ranked.c.rank <= per_day).order_by(ranked.c.at, ranked.c.rank)
    items = [CalendarItem(row.key, row.kind, row.topic, row.at, row.end, row.place, row.text,
                          row.p_name, row.u_login) for row in session.execute(first)]
    tasks = calendar_tasks(session, start, end, manager_login)
    for task in tasks:
        counts[task.at.date()] = counts.get(task.at.date(), 0) + 1
        overdue += int(task.end is not None and task.end < now)
    items = sorted(items + tasks, key=lambda item: item.at) if tasks else items
    return CalendarPeriod(items, counts, overdue)


def calendar_day(session: Session, day: date, manager_login: str | None = None,
                 limit: int = DAY_LIST) -> list[CalendarItem]:
    """The first `limit` items of `day` in time order (for a day holding more than the
    period read of it)."""
    start = datetime.combine(day, time())
    return calendar_items(session, start, start + timedelta(days=1), manager_login,
                          limit=limit)
