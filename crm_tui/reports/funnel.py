"""funnel — the sales funnel: how far the deals of the period got, stage by stage.

See docs/reports.md for the exact definition. Four grouped queries over a common population:
the furthest stage per deal, the latest entry per deal, the time spent in each left stage
entry (LEAD over the history), and the totals by status.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crm_tui.domain import report_math
from crm_tui.domain.money import from_minor
from crm_tui.i18n import _
from crm_tui.reports.base import (
    Column,
    ReportError,
    ReportParams,
    ReportResult,
    check_period,
    exact_int,
)
from crm_tui.reports.catalog import BY_NAME
from crm_tui.reports.queries import Queries

if TYPE_CHECKING:
    from sqlalchemy.sql import Executable

SPEC = BY_NAME["funnel"]
NAME = SPEC.name
FILTERS = SPEC.filters


def title() -> str:
    return SPEC.title()


def columns() -> list[Column]:
    return [
        Column("stage", _("Stage"), code=True),
        Column("name", _("Name")),
        Column("reached", _("Reached"), "int", bar=True),
        Column("amount", _("Amount"), "money"),
        Column("conversion_from_prev", _("From previous, %"), "percent"),
        Column("conversion_from_first", _("From first, %"), "percent"),
        Column("current", _("Current"), "int"),
        Column("lost_here", _("Lost here"), "int"),
        Column("avg_days_in_stage", _("Avg days in stage"), "days"),
    ]


def total_columns() -> list[Column]:
    return [
        Column("deals", _("Deals"), "int"),
        Column("open", _("Open"), "int"),
        Column("won", _("Won"), "int"),
        Column("lost", _("Lost"), "int"),
        Column("won_amount", _("Won amount"), "money"),
    ]


def statements(dialect: str, params: ReportParams) -> dict[str, Executable]:
    """The report's SQL: the stages, four grouped queries over the population and, with
    --kind, the kind's id (bound as :kind_id in the others: the stages are the kind's)."""
    from sqlalchemy import bindparam, func, select

    from crm_tui.reports.sql import (
        classifier,
        deal,
        deal_conditions,
        deal_kind,
        deal_kind_stage,
        seconds_between,
        stage_entry,
    )

    found: dict[str, Executable] = {}
    if params.kind is None:
        ranks = select(
            classifier.c.id.label("stage_id"), classifier.c.sort_order.label("rank")
        ).where(classifier.c.kind == "stage")
    else:
        found["kind_id"] = select(deal_kind.c.id).where(
            deal_kind.c.code == bindparam("kind", params.kind))
        ranks = select(
            deal_kind_stage.c.stage_id, deal_kind_stage.c.position.label("rank")
        ).where(deal_kind_stage.c.kind_id == bindparam("kind_id", None))  # run: kind_id=…
    rank = ranks.cte("stage_rank")
    population = (
        select(deal.c.id, deal.c.amount_minor, deal.c.status, deal.c.closed_at)
        .join(deal_kind, deal_kind.c.id == deal.c.kind_id)
        .where(deal_kind.c.stage_control.in_(("strict", "manual")), *deal_conditions(params))
        .cte("population")
    )
    found["stages"] = (
        select(classifier.c.id, classifier.c.code, classifier.c.name, rank.c.rank)
        .join(rank, rank.c.stage_id == classifier.c.id)
        .order_by(rank.c.rank, classifier.c.code)
    )

    # Furthest stage per deal -> deals and amount per furthest rank.
    furthest = (
        select(
            population.c.id,
            population.c.amount_minor,
            func.max(rank.c.rank).label("far"),
        )
        .join(stage_entry, stage_entry.c.deal_id == population.c.id)
        .join(rank, rank.c.stage_id == stage_entry.c.stage_id)
        .group_by(population.c.id, population.c.amount_minor)
        .subquery("furthest")
    )
    found["by_far"] = select(
        furthest.c.far, func.count(), func.sum(furthest.c.amount_minor)
    ).group_by(furthest.c.far)

    # The latest entry per deal -> open deals ("current") and lost deals per stage.
    last_seq = (
        select(stage_entry.c.deal_id, func.max(stage_entry.c.seq).label("seq"))
        .join(population, population.c.id == stage_entry.c.deal_id)
        .group_by(stage_entry.c.deal_id)
        .subquery("last_seq")
    )
    found["latest"] = (
        select(stage_entry.c.stage_id, population.c.status, func.count())
        .join(
            last_seq,
            (last_seq.c.deal_id == stage_entry.c.deal_id) & (last_seq.c.seq == stage_entry.c.seq),
        )
        .join(population, population.c.id == stage_entry.c.deal_id)
        .where(population.c.status.in_(("open", "lost")))
        .group_by(stage_entry.c.stage_id, population.c.status)
    )

    # Every left entry: seconds from its `at` to the next entry's `at` or the closing.
    entries = (
        select(
            stage_entry.c.stage_id,
            stage_entry.c.at,
            func.coalesce(
                func.lead(stage_entry.c.at).over(
                    partition_by=stage_entry.c.deal_id, order_by=stage_entry.c.seq
                ),
                population.c.closed_at,
            ).label("left_at"),
        )
        .join(population, population.c.id == stage_entry.c.deal_id)
        .subquery("entries")
    )
    found["durations"] = (
        select(
            entries.c.stage_id,
            func.count(),
            func.sum(seconds_between(dialect, entries.c.at, entries.c.left_at)),
        )
        .where(entries.c.left_at.is_not(None))
        .group_by(entries.c.stage_id)
    )
    found["by_status"] = select(
        population.c.status, func.count(), func.sum(population.c.amount_minor)
    ).group_by(population.c.status)
    return found


def compute(queries: Queries, params: ReportParams) -> ReportResult:
    """The funnel over deals of stage-controlled kinds created in the period."""
    check_period(params)
    kind: dict[str, Any] = {}
    if params.kind is not None:
        found = queries.rows("kind_id")
        kind_id = found[0][0] if found else None
        if kind_id is None:
            raise ReportError(_("unknown deal kind: {code}").format(code=params.kind))
        kind["kind_id"] = kind_id
    stages = queries.rows("stages", **kind)
    by_far = queries.rows("by_far", **kind)
    latest = queries.rows("latest", **kind)
    durations = queries.rows("durations", **kind)
    by_status = queries.rows("by_status", **kind)

    current = {(stage_id, status): count for stage_id, status, count in latest}
    time_in = {stage_id: (count, exact_int(total)) for stage_id, count, total in durations}
    rows: list[dict[str, Any]] = []
    first_reached: int | None = None
    previous: int | None = None
    for stage_id, code, name, stage_rank in stages:
        reached = sum(count for far, count, _amount in by_far if far >= stage_rank)
        amount = sum(exact_int(amount) for far, _count, amount in by_far if far >= stage_rank)
        if first_reached is None:
            first_reached = reached
        left_count, left_seconds = time_in.get(stage_id, (0, 0))
        rows.append(
            {
                "stage": code,
                "name": name,
                "reached": reached,
                "amount": from_minor(amount),
                "conversion_from_prev": (
                    None if previous is None else report_math.percent(reached, previous)
                ),
                "conversion_from_first": report_math.percent(reached, first_reached),
                "current": current.get((stage_id, "open"), 0),
                "lost_here": current.get((stage_id, "lost"), 0),
                "avg_days_in_stage": report_math.mean_days(left_seconds, left_count),
            }
        )
        previous = reached
    counts = {status: count for status, count, _amount in by_status}
    won_minor = sum(exact_int(amount) for status, _c, amount in by_status if status == "won")
    totals: dict[str, Any] = {
        "deals": sum(counts.values()),
        "open": counts.get("open", 0),
        "won": counts.get("won", 0),
        "lost": counts.get("lost", 0),
        "won_amount": from_minor(won_minor) if won_minor else Decimal("0.00"),
    }
    return ReportResult(NAME, title(), {}, columns(), rows, totals, total_columns())
