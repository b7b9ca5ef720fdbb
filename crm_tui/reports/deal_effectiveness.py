"""deal-effectiveness — per manager: deals, outcomes, win rate, amounts and cycle length.

One grouped query (manager × status) over deals created in the period, every kind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crm_tui.domain import report_math
from crm_tui.domain.money import from_minor
from crm_tui.i18n import _
from crm_tui.reports.base import Column, ReportParams, ReportResult, check_period, exact_int
from crm_tui.reports.catalog import BY_NAME
from crm_tui.reports.queries import Queries

if TYPE_CHECKING:
    from sqlalchemy.sql import Executable

SPEC = BY_NAME["deal-effectiveness"]
NAME = SPEC.name
FILTERS = SPEC.filters
_MEASURES = ("deals", "open", "won", "lost")


def title() -> str:
    return SPEC.title()


def total_columns() -> list[Column]:
    return [
        Column("deals", _("Deals"), "int"),
        Column("open", _("Open"), "int"),
        Column("won", _("Won"), "int"),
        Column("lost", _("Lost"), "int"),
        Column("win_rate", _("Win rate, %"), "percent"),
        Column("won_amount", _("Won amount"), "money"),
        Column("lost_amount", _("Lost amount"), "money"),
        Column("open_amount", _("Open amount"), "money"),
        Column("avg_cycle_days", _("Avg cycle, days"), "days"),
    ]


def columns() -> list[Column]:
    return [Column("manager", _("Manager")), Column("name", _("Name")), *total_columns()]


def _measures(sums: dict[str, list[int]]) -> dict[str, Any]:
    """The row fields from per-status [count, amount, cycle seconds] sums."""
    empty = [0, 0, 0]
    opened, won, lost = (sums.get(status, empty) for status in ("open", "won", "lost"))
    return {
        "deals": sum(values[0] for values in sums.values()),
        "open": opened[0],
        "won": won[0],
        "lost": lost[0],
        "win_rate": report_math.percent(won[0], won[0] + lost[0]),
        "won_amount": from_minor(won[1]),
        "lost_amount": from_minor(lost[1]),
        "open_amount": from_minor(opened[1]),
        "avg_cycle_days": report_math.mean_days(won[2] + lost[2], won[0] + lost[0]),
    }


def statements(dialect: str, params: ReportParams) -> dict[str, Executable]:
    """The report's SQL: deals, amounts and cycle seconds per manager and status."""
    from sqlalchemy import case, func, select

    from crm_tui.reports.sql import app_user, deal, deal_conditions, seconds_between

    closed = deal.c.status.in_(("won", "lost")) & deal.c.closed_at.is_not(None)
    cycle = case((closed, seconds_between(dialect, deal.c.created_at, deal.c.closed_at)), else_=0)
    query = (
        select(
            app_user.c.login,
            app_user.c.name,
            deal.c.status,
            func.count(),
            func.sum(deal.c.amount_minor),
            func.sum(cycle),
        )
        .join(app_user, app_user.c.id == deal.c.manager_id)
        .where(*deal_conditions(params))
        .group_by(app_user.c.login, app_user.c.name, deal.c.status)
    )
    return {"per_manager": query}


def compute(queries: Queries, params: ReportParams) -> ReportResult:
    """One row per manager with deals created in the period, sorted by login."""
    check_period(params)
    per_manager: dict[tuple[str, str], dict[str, list[int]]] = {}
    overall: dict[str, list[int]] = {}
    for login, name, status, count, amount, seconds in queries.rows("per_manager"):
        values = [int(count), exact_int(amount), exact_int(seconds)]
        per_manager.setdefault((login, name), {})[status] = values
        into = overall.setdefault(status, [0, 0, 0])
        for index, value in enumerate(values):
            into[index] += value
    rows = [
        {"manager": login, "name": name, **_measures(sums)}
        for (login, name), sums in sorted(per_manager.items())
    ]
    return ReportResult(NAME, title(), {}, columns(), rows, _measures(overall), total_columns())
