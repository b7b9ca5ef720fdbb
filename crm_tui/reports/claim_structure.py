"""claim-structure — claim reasons ranked by how often they occur."""

from __future__ import annotations

from crm_tui.domain import report_math
from crm_tui.i18n import _
from crm_tui.reports.base import Column, ReportParams, ReportResult
from crm_tui.reports.catalog import BY_NAME
from crm_tui.reports.claim_satisfaction import claim_counts
from crm_tui.reports.claim_satisfaction import statements as statements  # the same SQL
from crm_tui.reports.queries import Queries

SPEC = BY_NAME["claim-structure"]
NAME = SPEC.name
FILTERS = SPEC.filters


def title() -> str:
    return SPEC.title()


def columns() -> list[Column]:
    return [
        Column("rank", _("Rank"), "int"),
        Column("reason", _("Reason"), code=True),
        Column("name", _("Name")),
        Column("count", _("Claims"), "int", bar=True),
        Column("share", _("Share, %"), "percent"),
    ]


def total_columns() -> list[Column]:
    return [Column("count", _("Claims"), "int")]


def compute(queries: Queries, params: ReportParams) -> ReportResult:
    """Reasons by count descending, ties by reason name; share of all claims of the period."""
    per_reason: dict[tuple[str, str], int] = {}
    for code, name, _status, count in claim_counts(queries, params):
        per_reason[(name, code)] = per_reason.get((name, code), 0) + count
    total = sum(per_reason.values())
    ranked = sorted(per_reason.items(), key=lambda item: (-item[1], item[0]))
    rows = [
        {
            "rank": position,
            "reason": code,
            "name": name,
            "count": count,
            "share": report_math.percent(count, total),
        }
        for position, ((name, code), count) in enumerate(ranked, start=1)
    ]
    return ReportResult(NAME, title(), {}, columns(), rows, {"count": total}, total_columns())
