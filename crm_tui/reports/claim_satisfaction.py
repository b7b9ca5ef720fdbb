"""claim-satisfaction — per claim reason: how many claims were satisfied, refused, open."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crm_tui.domain import report_math
from crm_tui.i18n import _
from crm_tui.reports.base import Column, ReportParams, ReportResult, check_period
from crm_tui.reports.catalog import BY_NAME
from crm_tui.reports.queries import Queries

if TYPE_CHECKING:
    from sqlalchemy.sql import Executable

SPEC = BY_NAME["claim-satisfaction"]
NAME = SPEC.name
FILTERS = SPEC.filters


def title() -> str:
    return SPEC.title()


def total_columns() -> list[Column]:
    return [
        Column("total", _("Total"), "int"),
        Column("satisfied", _("Satisfied"), "int"),
        Column("not_satisfied", _("Not satisfied"), "int"),
        Column("open", _("Open"), "int"),
        Column("satisfied_share", _("Satisfied, %"), "percent"),
    ]


def columns() -> list[Column]:
    return [Column("reason", _("Reason"), code=True), Column("name", _("Name")), *total_columns()]


def statements(dialect: str, params: ReportParams) -> dict[str, Executable]:
    """The report's SQL (also claim-structure's): claims per reason and status."""
    from sqlalchemy import func, select

    from crm_tui.reports.sql import (
        claim,
        classifier,
        period_conditions,
        region_condition,
        user_id_of,
    )

    conditions = period_conditions(claim.c.registered_at, params)
    if params.manager is not None:
        conditions.append(claim.c.manager_id == user_id_of(params.manager, "manager"))
    if params.region is not None:
        conditions.append(region_condition(claim.c.partner_id, params.region))
    query = (
        select(classifier.c.code, classifier.c.name, claim.c.status, func.count())
        .join(classifier, classifier.c.id == claim.c.reason_id)
        .where(*conditions)
        .group_by(classifier.c.code, classifier.c.name, claim.c.status)
    )
    return {"claim_counts": query}


def claim_counts(queries: Queries, params: ReportParams) -> list[tuple[str, str, str, int]]:
    """(reason code, reason name, status, count) over the claims of the period and filters.

    The population shared with claim-structure."""
    check_period(params)
    found = queries.rows("claim_counts")
    return [(code, name, status, int(count)) for code, name, status, count in found]


def _measures(counts: dict[str, int]) -> dict[str, Any]:
    satisfied = counts.get("satisfied", 0)
    refused = counts.get("not_satisfied", 0)
    return {
        "total": sum(counts.values()),
        "satisfied": satisfied,
        "not_satisfied": refused,
        "open": counts.get("open", 0),
        "satisfied_share": report_math.percent(satisfied, satisfied + refused),
    }


def compute(queries: Queries, params: ReportParams) -> ReportResult:
    """One row per claim reason that has claims, sorted by reason name."""
    per_reason: dict[tuple[str, str], dict[str, int]] = {}
    overall: dict[str, int] = {}
    for code, name, status, count in claim_counts(queries, params):
        per_reason.setdefault((name, code), {})[status] = count
        overall[status] = overall.get(status, 0) + count
    rows = [
        {"reason": code, "name": name, **_measures(counts)}
        for (name, code), counts in sorted(per_reason.items())
    ]
    return ReportResult(NAME, title(), {}, columns(), rows, _measures(overall), total_columns())
