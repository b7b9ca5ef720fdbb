"""claim-tasks — per assignee: claim-plan tasks done on time, done late, open and overdue.

The population is the tasks due in the period (a task without a due date, from older data,
is counted only when no period is given). A task's assignee is its own, else its claim's
manager; how each task stands is domain.claim_tasks.standing, which `_standing` spells in
SQL so that the database counts the tasks by assignee and standing (75k tasks of the huge
demo set cost 2.3x their bare SQL as rows stood one by one in Python; a unit test holds the
two definitions equal)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crm_tui.domain import report_math
from crm_tui.domain.claim_tasks import TaskStanding
from crm_tui.i18n import _
from crm_tui.reports.base import Column, ReportParams, ReportResult, check_period
from crm_tui.reports.catalog import BY_NAME
from crm_tui.reports.queries import Queries

if TYPE_CHECKING:
    from sqlalchemy.sql import ColumnElement, Executable

SPEC = BY_NAME["claim-tasks"]
NAME = SPEC.name
FILTERS = SPEC.filters
_MEASURES = tuple(standing.value for standing in TaskStanding)


def title() -> str:
    return SPEC.title()


def total_columns() -> list[Column]:
    return [
        Column("total", _("Tasks"), "int", bar=True),
        Column(TaskStanding.DONE_ON_TIME.value, _("Done on time"), "int"),
        Column(TaskStanding.DONE_LATE.value, _("Done late"), "int"),
        Column(TaskStanding.OPEN_OVERDUE.value, _("Open, overdue"), "int"),
        Column(TaskStanding.OPEN.value, _("Open, not yet due"), "int"),
        Column("on_time_share", _("Done on time, %"), "percent"),
    ]


def columns() -> list[Column]:
    return [Column("assignee", _("Assignee")), Column("name", _("Name")), *total_columns()]


def _measures(counts: dict[str, int]) -> dict[str, Any]:
    done = counts[TaskStanding.DONE_ON_TIME.value] + counts[TaskStanding.DONE_LATE.value]
    return {"total": sum(counts.values()), **counts,
            "on_time_share": report_math.percent(counts[TaskStanding.DONE_ON_TIME.value], done)}


def _standing(dialect: str) -> ColumnElement[str]:
    """domain.claim_tasks.standing as an SQL expression over a claim_task row, "today" bound
    when the statement runs (as reports/drilldown.py's filters spell it)."""
    from sqlalchemy import Date, bindparam, case, cast, func, literal, true

    from crm_tui.reports.sql import claim_task

    task = claim_task.c
    today = bindparam("today", type_=Date)
    # The day a task was done: SQLite stores "YYYY-MM-DD HH:MM:SS.ffffff" text, and its
    # CAST(... AS DATE) would give a number.
    done_day = func.date(task.done_at) if dialect == "sqlite" else cast(task.done_at, Date)
    late = task.done_at.is_not(None) & task.due.is_not(None) & (done_day > task.due)
    done = task.done == true()
    return case(
        (done & late, literal(TaskStanding.DONE_LATE.value)),
        (done, literal(TaskStanding.DONE_ON_TIME.value)),
        (task.due.is_not(None) & (task.due < today), literal(TaskStanding.OPEN_OVERDUE.value)),
        else_=literal(TaskStanding.OPEN.value),
    )


def statements(dialect: str, params: ReportParams) -> dict[str, Executable]:
    """The report's SQL: the tasks due in the period counted by assignee and standing."""
    from sqlalchemy import bindparam, func, select

    from crm_tui.reports.sql import app_user, claim, claim_task

    assignee_id = func.coalesce(claim_task.c.assignee_id, claim.c.manager_id)
    tasks = (
        select(app_user.c.login, app_user.c.name, _standing(dialect).label("standing"))
        .select_from(claim_task.join(claim, claim.c.id == claim_task.c.claim_id)
                     .outerjoin(app_user, app_user.c.id == assignee_id))
    )
    if params.date_from is not None:
        tasks = tasks.where(claim_task.c.due >= bindparam("date_from", params.date_from))
    if params.date_to is not None:  # (date.max has no next day)
        tasks = tasks.where(claim_task.c.due <= bindparam("date_to", params.date_to))
    if params.manager is not None:
        tasks = tasks.where(app_user.c.login == bindparam("manager", params.manager))
    # Grouped outside: PostgreSQL would not take the CASE's parameters in a GROUP BY as
    # the SELECT's own.
    counted = tasks.subquery()
    return {"tasks": select(counted.c.login, counted.c.name, counted.c.standing, func.count())
            .group_by(counted.c.login, counted.c.name, counted.c.standing)}


def compute(queries: Queries, params: ReportParams) -> ReportResult:
    """One row per assignee (by name; tasks nobody is assigned to last), and the totals."""
    check_period(params)
    today = (params.now.date() if params.now else None)
    assert today is not None  # the registry gives "now" to reports that take it
    per_user: dict[tuple[str, str], dict[str, int]] = {}
    totals = dict.fromkeys(_MEASURES, 0)
    for login, name, value, count in queries.rows("tasks", today=today):
        key = (name or "", login or "")
        counts = per_user.setdefault(key, dict.fromkeys(_MEASURES, 0))
        counts[value] += count
        totals[value] += count
    ordered = sorted(per_user.items(), key=lambda item: (item[0][1] == "", item[0]))
    rows = [{"assignee": login or None, "name": name or _("(nobody)"), **_measures(counts)}
            for (name, login), counts in ordered]
    return ReportResult(NAME, title(), {}, columns(), rows, _measures(totals), total_columns())
