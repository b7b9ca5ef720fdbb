"""primary-demand — unmet primary demand: per reason and manager, the deals that recorded it.

A deal counts once per reason however many times it lists that reason; the amount is the
deal's amount. Totals count each deal once, whatever number of reasons it has. Besides, per
row, the unmet demand lines naming the reason (`lines`) and the sum of their own amounts
(`unmet_amount`, the amount the deal form asks for per line; a line without one adds 0)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crm_tui.domain.money import from_minor
from crm_tui.i18n import _
from crm_tui.reports.base import Column, ReportParams, ReportResult, check_period, exact_int
from crm_tui.reports.catalog import BY_NAME
from crm_tui.reports.queries import Queries

if TYPE_CHECKING:
    from sqlalchemy.sql import Executable

SPEC = BY_NAME["primary-demand"]
NAME = SPEC.name
FILTERS = SPEC.filters


def title() -> str:
    return SPEC.title()


def columns() -> list[Column]:
    return [
        Column("reason", _("Reason"), code=True),
        Column("name", _("Name")),
        Column("manager", _("Manager")),
        Column("manager_name", _("Manager name")),
        Column("deals", _("Deals"), "int", bar=True),
        Column("amount", _("Amount"), "money"),
        Column("lines", _("Unmet lines"), "int"),
        Column("unmet_amount", _("Amount unmet"), "money"),
    ]


def total_columns() -> list[Column]:
    return [Column("deals", _("Deals"), "int"), Column("amount", _("Amount"), "money")]


def statements(dialect: str, params: ReportParams) -> dict[str, Executable]:
    """The report's SQL: deals per reason and manager, unmet lines, and the totals."""
    from sqlalchemy import func, select

    from crm_tui.reports.sql import app_user, classifier, deal, deal_conditions, demand_reason

    pairs = (
        select(demand_reason.c.deal_id, demand_reason.c.reason_id)
        .distinct()
        .join(deal, deal.c.id == demand_reason.c.deal_id)
        .where(*deal_conditions(params))
        .subquery("pairs")
    )
    query = (
        select(
            classifier.c.code,
            classifier.c.name,
            app_user.c.login,
            app_user.c.name,
            func.count(),
            func.sum(deal.c.amount_minor),
        )
        .select_from(pairs)
        .join(deal, deal.c.id == pairs.c.deal_id)
        .join(classifier, classifier.c.id == pairs.c.reason_id)
        .join(app_user, app_user.c.id == deal.c.manager_id)
        .group_by(classifier.c.code, classifier.c.name, app_user.c.login, app_user.c.name)
    )
    lines = (
        select(classifier.c.code, app_user.c.login, func.count(),
               func.sum(func.coalesce(demand_reason.c.amount_minor, 0)))
        .select_from(demand_reason)
        .join(deal, deal.c.id == demand_reason.c.deal_id)
        .join(classifier, classifier.c.id == demand_reason.c.reason_id)
        .join(app_user, app_user.c.id == deal.c.manager_id)
        .where(*deal_conditions(params))
        .group_by(classifier.c.code, app_user.c.login)
    )
    with_demand = select(pairs.c.deal_id).distinct().subquery("with_demand")
    totals = select(func.count(), func.sum(deal.c.amount_minor)).join(
        with_demand, with_demand.c.deal_id == deal.c.id
    )
    return {"per_reason": query, "lines": lines, "totals": totals}


def compute(queries: Queries, params: ReportParams) -> ReportResult:
    """Rows sorted by reason name, then manager login."""
    check_period(params)
    found = list(queries.rows("per_reason"))
    found.sort(key=lambda row: (row[1], row[0], row[2]))
    # (reason code, manager login) -> (unmet lines, sum of their amounts in minor units)
    lines = {(code, login): (count, exact_int(amount))
             for code, login, count, amount in queries.rows("lines")}
    rows: list[dict[str, Any]] = [
        {
            "reason": code,
            "name": name,
            "manager": login,
            "manager_name": manager_name,
            "deals": count,
            "amount": from_minor(exact_int(amount)),
            "lines": lines.get((code, login), (0, 0))[0],
            "unmet_amount": from_minor(lines.get((code, login), (0, 0))[1]),
        }
        for code, name, login, manager_name, count, amount in found
    ]
    [(count, amount)] = queries.rows("totals")
    totals = {"deals": count, "amount": from_minor(exact_int(amount))}
    return ReportResult(NAME, title(), {}, columns(), rows, totals, total_columns())

