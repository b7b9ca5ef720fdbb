"""demand-lines — primary demand asked and unmet, per item and manager, from the deals'
demand lines (lines without an item, reasons alone, are not items and are left out).

Per (item, manager): the lines asked for and their amount, the unmet ones and their amount,
and the unmet share of the lines. Items are grouped as written (trimmed by the form)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crm_tui.domain import report_math
from crm_tui.domain.money import from_minor
from crm_tui.i18n import _
from crm_tui.reports.base import Column, ReportParams, ReportResult, check_period, exact_int
from crm_tui.reports.catalog import BY_NAME
from crm_tui.reports.queries import Queries

if TYPE_CHECKING:
    from sqlalchemy.sql import Executable

SPEC = BY_NAME["demand-lines"]
NAME = SPEC.name
FILTERS = SPEC.filters


def title() -> str:
    return SPEC.title()


def columns() -> list[Column]:
    return [
        Column("item", _("Item")),
        Column("manager", _("Manager")),
        Column("manager_name", _("Manager name")),
        Column("asked", _("Lines asked"), "int", bar=True),
        Column("asked_amount", _("Amount asked"), "money"),
        Column("unmet", _("Lines unmet"), "int"),
        Column("unmet_amount", _("Amount unmet"), "money"),
        Column("unmet_share", _("Unmet, %"), "percent"),
    ]


def total_columns() -> list[Column]:
    return [c for c in columns() if c.field not in ("item", "manager", "manager_name")]


def statements(dialect: str, params: ReportParams) -> dict[str, Executable]:
    """The report's SQL: demand lines asked and unmet per item and manager."""
    from sqlalchemy import case, func, select

    from crm_tui.reports.sql import app_user, deal, deal_conditions, demand_reason

    unmet = demand_reason.c.met.is_(False)
    amount = func.coalesce(demand_reason.c.amount_minor, 0)
    query = (
        select(
            demand_reason.c.item, app_user.c.login, app_user.c.name, func.count(),
            func.sum(amount), func.sum(case((unmet, 1), else_=0)),
            func.sum(case((unmet, amount), else_=0)),
        )
        .select_from(demand_reason)
        .join(deal, deal.c.id == demand_reason.c.deal_id)
        .join(app_user, app_user.c.id == deal.c.manager_id)
        .where(demand_reason.c.item.is_not(None), *deal_conditions(params))
        .group_by(demand_reason.c.item, app_user.c.login, app_user.c.name)
    )
    return {"per_item": query}


def compute(queries: Queries, params: ReportParams) -> ReportResult:
    """Rows sorted by item, then manager login."""
    check_period(params)
    found = sorted(queries.rows("per_item"), key=lambda row: (row[0], row[1]))
    rows: list[dict[str, Any]] = [
        {"item": item, "manager": login, "manager_name": manager_name,
         **_measures(asked, from_minor(exact_int(asked_minor)), exact_int(unmet_count),
                     from_minor(exact_int(unmet_minor)))}
        for item, login, manager_name, asked, asked_minor, unmet_count, unmet_minor in found
    ]
    totals = _measures(sum(r["asked"] for r in rows),
                       sum((r["asked_amount"] for r in rows), Decimal(0)),
                       sum(r["unmet"] for r in rows),
                       sum((r["unmet_amount"] for r in rows), Decimal(0)))
    return ReportResult(NAME, title(), {}, columns(), rows, totals, total_columns())


def _measures(asked: int, asked_amount: Decimal, unmet: int,
              unmet_amount: Decimal) -> dict[str, Any]:
    return {"asked": asked, "asked_amount": asked_amount, "unmet": unmet,
            "unmet_amount": unmet_amount, "unmet_share": report_math.percent(unmet, asked)}
