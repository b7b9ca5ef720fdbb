"""claim-dynamics — per month: claims registered, resolved, and still open at month end."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from crm_tui.i18n import _
from crm_tui.reports.base import Column, ReportParams, ReportResult, check_period
from crm_tui.reports.catalog import BY_NAME
from crm_tui.reports.queries import Queries

if TYPE_CHECKING:
    from sqlalchemy.sql import Executable

SPEC = BY_NAME["claim-dynamics"]
NAME = SPEC.name
FILTERS = SPEC.filters


def title() -> str:
    return SPEC.title()


def columns() -> list[Column]:
    return [
        Column("month", _("Month")),
        Column("registered", _("Registered"), "int", bar=True),
        Column("resolved", _("Resolved"), "int"),
        Column("open_at_end", _("Open at month end"), "int"),
    ]


def total_columns() -> list[Column]:
    return [
        Column("registered", _("Registered"), "int"),
        Column("resolved", _("Resolved"), "int"),
        Column("open_at_end", _("Open at the end"), "int"),
    ]


def _month(day: date) -> str:
    """'YYYY-MM' of `day` (strftime writes the year 1 as "1", not "0001")."""
    return f"{day.year:04d}-{day.month:02d}"


def _months(first: str, last: str) -> list[str]:
    """Every 'YYYY-MM' from `first` to `last` inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    end = int(last[:4]), int(last[5:7])  # as numbers: "10000-01" sorts before "9999-12"
    months: list[str] = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def statements(dialect: str, params: ReportParams) -> dict[str, Executable]:
    """The report's SQL: claims registered and resolved per month of the period, and (with
    a period start) before it."""
    from sqlalchemy import bindparam, func, select

    from crm_tui.reports.sql import (
        claim,
        month_of,
        period_conditions,
        region_condition,
        user_id_of,
    )

    filters: list[Any] = []
    if params.manager is not None:
        filters.append(claim.c.manager_id == user_id_of(params.manager, "manager"))
    if params.region is not None:
        filters.append(region_condition(claim.c.partner_id, params.region))
    found: dict[str, Executable] = {}
    for name, column in (("registered", claim.c.registered_at),
                         ("resolved", claim.c.resolved_at)):
        month = month_of(dialect, column)
        found[name] = (
            select(month, func.count())
            .where(column.is_not(None), *filters, *period_conditions(column, params))
            .group_by(month)
        )
        if params.date_from is not None:
            start: Any = bindparam("period_start", datetime.combine(params.date_from, time()))
            found[f"{name}_before"] = select(func.count()).where(
                column.is_not(None), column < start, *filters)
    return found


def _per_month(queries: Queries, name: str) -> dict[str, int]:
    return {str(key): int(count) for key, count in queries.rows(name)}


def _before(queries: Queries, name: str, start: date | None) -> int:
    if start is None:
        return 0
    [(count,)] = queries.rows(name)
    return int(count or 0)


def compute(queries: Queries, params: ReportParams) -> ReportResult:
    """One row per calendar month of the period (default: from the first registration to the
    last registration or resolution); the first and last month count only their days inside
    the period, and `open_at_end` is taken at the end of the month or of the period."""
    check_period(params)
    registered = _per_month(queries, "registered")
    resolved = _per_month(queries, "resolved")
    open_before = (_before(queries, "registered_before", params.date_from)
                   - _before(queries, "resolved_before", params.date_from))
    seen = sorted({*registered, *resolved})
    first = _month(params.date_from) if params.date_from else (
        min(registered) if registered else None
    )
    last = _month(params.date_to) if params.date_to else (seen[-1] if seen else None)
    rows: list[dict[str, Any]] = []
    still_open = open_before
    if first is not None and last is not None:
        for month in _months(first, last):
            still_open += registered.get(month, 0) - resolved.get(month, 0)
            rows.append(
                {
                    "month": month,
                    "registered": registered.get(month, 0),
                    "resolved": resolved.get(month, 0),
                    "open_at_end": still_open,
                }
            )
    totals = {
        "registered": sum(registered.values()),
        "resolved": sum(resolved.values()),
        "open_at_end": still_open,
    }
    return ReportResult(NAME, title(), {}, columns(), rows, totals, total_columns())
