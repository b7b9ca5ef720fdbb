"""The records behind a report row: the deals, claims or interactions a number counts.

Every report row measure that counts records maps to a `DrillSpec`; `drill_count` and
`drill_fetch` page the records of a spec (LIMIT/OFFSET ordered by an indexed timestamp and
the id), so the app's drill-down list stays fast on big databases. The conditions repeat the
report definitions in docs/reports.md exactly, so a drill-down lists as many records as the
report number it came from. SQL only: no textual here.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import Date, Select, and_, cast, exists, false, func, or_, select, true
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from crm_tui.domain import clock
from crm_tui.domain.clock import end_of_day
from crm_tui.domain.money import from_minor
from crm_tui.reports.base import ReportParams
from crm_tui.reports.sql import (
    app_user,
    claim,
    claim_task,
    classifier,
    deal,
    deal_conditions,
    deal_kind,
    deal_kind_stage,
    demand_reason,
    interaction,
    partner,
    period_conditions,
    region_condition,
    stage_entry,
    user_id_of,
)

Entity = Literal["deal", "claim", "interaction"]


@dataclass(frozen=True)
class DrillSpec:
    """Which records to list: report `report`, the row identified by `row_key` (the values
    of the row's identifying fields), the measure `measure` (a row field) and the params."""

    report: str
    measure: str
    row_key: tuple[str, ...]
    params: ReportParams

    @property
    def entity(self) -> Entity:
        return entity_of(self.report)


@dataclass(frozen=True)
class DrillItem:
    """One record of a drill-down list, ready to show (strings; None shown as a dash)."""

    entity: Entity
    key: str
    when: datetime | None
    name: str
    partner: str | None
    manager: str | None
    status: str
    detail: str | None  # deal: stage name; claim: reason name; interaction: kind
    amount: Decimal | None


@dataclass(frozen=True)
class Choice:
    """A filter value: its code (login, region code, deal kind code) and its name."""

    code: str
    name: str


@dataclass(frozen=True)
class FilterChoices:
    """The values the report filters offer."""

    managers: tuple[Choice, ...]
    regions: tuple[Choice, ...]
    kinds: tuple[Choice, ...]


# Report -> (fields identifying a row, {row field: measure}, default measure).
_DRILL: dict[str, tuple[tuple[str, ...], dict[str, str], str]] = {
    "funnel": (
        ("stage",),
        {"reached": "reached", "amount": "reached", "current": "current",
         "lost_here": "lost_here"},
        "reached",
    ),
    "deal-effectiveness": (
        ("manager",),
        {"deals": "deals", "open": "open", "won": "won", "lost": "lost",
         "won_amount": "won", "lost_amount": "lost", "open_amount": "open",
         "win_rate": "closed", "avg_cycle_days": "closed"},
        "deals",
    ),
    "event-calendar": (("id",), {}, "event"),
    "claim-satisfaction": (
        ("reason",),
        {"total": "total", "satisfied": "satisfied", "not_satisfied": "not_satisfied",
         "open": "open", "satisfied_share": "resolved"},
        "total",
    ),
    "claim-structure": (("reason",), {"count": "total", "share": "total"}, "total"),
    "primary-demand": (("reason", "manager"), {"deals": "deals", "amount": "deals"}, "deals"),
    # the deals behind a line count: those with such lines (a deal may hold several)
    "demand-lines": (("item", "manager"), {"unmet": "unmet", "unmet_amount": "unmet",
                                           "unmet_share": "unmet"}, "asked"),
    "claim-dynamics": (
        ("month",),
        {"registered": "registered", "resolved": "resolved", "open_at_end": "open_at_end"},
        "registered",
    ),
    "claim-tasks": (
        ("assignee",),
        {"total": "total", "done_on_time": "done_on_time", "done_late": "done_late",
         "open_overdue": "open_overdue", "open": "open", "on_time_share": "done"},
        "total",
    ),
}
_ENTITY: dict[str, Entity] = {
    "funnel": "deal",
    "deal-effectiveness": "deal",
    "primary-demand": "deal",
    "demand-lines": "deal",
    "event-calendar": "interaction",
    "claim-satisfaction": "claim",
    "claim-structure": "claim",
    "claim-dynamics": "claim",
    "claim-tasks": "claim",  # one line per task, opening its claim
}


def entity_of(report: str) -> Entity:
    """What the rows of `report` count: "deal", "claim" or "interaction"."""
    return _ENTITY[report]


def drill_spec(
    report: str, row: dict[str, Any], params: ReportParams, field: str | None = None
) -> DrillSpec | None:
    """The records behind `row` of `report` for the measure in column `field` (or the
    row's main measure when `field` is not a counted measure); None for unknown reports."""
    rule = _DRILL.get(report)
    if rule is None:
        return None
    key_fields, measures, default = rule
    measure = measures.get(field or "", default)
    row_key = tuple(str(row.get(name) or "") for name in key_fields)
    return DrillSpec(report, measure, row_key, params)


# --------------------------------------------------------------------------- conditions
def _kind_id(connection: Connection, code: str) -> int | None:
    found = connection.execute(select(deal_kind.c.id).where(deal_kind.c.code == code)).scalar()
    return None if found is None else int(found)


def _stage_rank_map(connection: Connection, params: ReportParams) -> dict[int, int]:
    """stage id -> rank: the classifier order, or with a kind that kind's positions."""
    if params.kind is None:
        query: Select[Any] = select(classifier.c.id, classifier.c.sort_order).where(
            classifier.c.kind == "stage"
        )
    else:
        query = select(deal_kind_stage.c.stage_id, deal_kind_stage.c.position).where(
            deal_kind_stage.c.kind_id == _kind_id(connection, params.kind)
        )
    return {int(stage_id): int(rank) for stage_id, rank in connection.execute(query)}


def _stage_id(connection: Connection, code: str) -> int | None:
    found = connection.execute(
        select(classifier.c.id).where(classifier.c.kind == "stage", classifier.c.code == code)
    ).scalar()
    return None if found is None else int(found)


def _latest_entry_stage(deal_id: Any, stage_id: int) -> ColumnElement[bool]:
    """The deal's latest history entry (highest seq) is stage `stage_id` (one index seek on
    (deal_id, seq) per deal)."""
    latest = stage_entry.alias("latest")
    latest_stage = (
        select(latest.c.stage_id)
        .where(latest.c.deal_id == deal_id)
        .order_by(latest.c.seq.desc())
        .limit(1)
        .scalar_subquery()
    )
    return latest_stage == stage_id


def _funnel(connection: Connection, spec: DrillSpec) -> list[ColumnElement[bool]]:
    params = spec.params
    conditions = [
        deal.c.kind_id.in_(
            select(deal_kind.c.id).where(deal_kind.c.stage_control.in_(("strict", "manual")))
        ),
        *deal_conditions(params),
    ]
    ranks = _stage_rank_map(connection, params)
    stage_id = _stage_id(connection, spec.row_key[0])
    if stage_id is None or stage_id not in ranks:
        return [*conditions, deal.c.id.is_(None)]
    if spec.measure == "reached":
        # The furthest stage is at or after S <=> some entry's stage ranks at or after S.
        further = [sid for sid, rank in ranks.items() if rank >= ranks[stage_id]]
        entry = stage_entry.alias("entry")
        conditions.append(exists(select(entry.c.id).where(
            entry.c.deal_id == deal.c.id, entry.c.stage_id.in_(further)
        )))
    else:
        status = "open" if spec.measure == "current" else "lost"
        conditions += [deal.c.status == status, _latest_entry_stage(deal.c.id, stage_id)]
    return conditions


def _deal_effectiveness(spec: DrillSpec) -> list[ColumnElement[bool]]:
    conditions = [*deal_conditions(spec.params), deal.c.manager_id == user_id_of(spec.row_key[0])]
    if spec.measure in ("open", "won", "lost"):
        conditions.append(deal.c.status == spec.measure)
    elif spec.measure == "closed":
        conditions.append(deal.c.status.in_(("won", "lost")))
    return conditions


def _primary_demand(spec: DrillSpec) -> list[ColumnElement[bool]]:
    reason, manager = spec.row_key
    reason_ids = select(classifier.c.id).where(
        classifier.c.kind == "demand_reason", classifier.c.code == reason
    )
    return [
        *deal_conditions(spec.params),
        deal.c.manager_id == user_id_of(manager),
        exists(select(demand_reason.c.id).where(
            demand_reason.c.deal_id == deal.c.id, demand_reason.c.reason_id.in_(reason_ids)
        )),
    ]


def _demand_lines(spec: DrillSpec) -> list[ColumnElement[bool]]:
    item, manager = spec.row_key
    line = [demand_reason.c.deal_id == deal.c.id, demand_reason.c.item == item]
    if spec.measure == "unmet":
        line.append(demand_reason.c.met.is_(False))
    return [*deal_conditions(spec.params), deal.c.manager_id == user_id_of(manager),
            exists(select(demand_reason.c.id).where(*line))]


def _claim_filters(params: ReportParams) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if params.manager is not None:
        conditions.append(claim.c.manager_id == user_id_of(params.manager))
    if params.region is not None:
        conditions.append(region_condition(claim.c.partner_id, params.region))
    return conditions


def _claim_reason(spec: DrillSpec) -> list[ColumnElement[bool]]:
    reason_ids = select(classifier.c.id).where(
        classifier.c.kind == "claim_reason", classifier.c.code == spec.row_key[0]
    )
    conditions = [
        *period_conditions(claim.c.registered_at, spec.params),
        *_claim_filters(spec.params),
        claim.c.reason_id.in_(reason_ids),
    ]
    if spec.measure in ("satisfied", "not_satisfied", "open"):
        conditions.append(claim.c.status == spec.measure)
    elif spec.measure == "resolved":
        conditions.append(claim.c.status.in_(("satisfied", "not_satisfied")))
    return conditions


def _month_bounds(month: str) -> tuple[datetime, datetime]:
    """The first moment of 'YYYY-MM' and the first of the next month (for 9999-12, whose
    next month the calendar lacks, the last moment a datetime holds)."""
    year, number = int(month[:4]), int(month[5:7])
    last_day = calendar.monthrange(year, number)[1]
    return datetime(year, number, 1), end_of_day(date(year, number, last_day))


def _claim_dynamics(spec: DrillSpec) -> list[ColumnElement[bool]]:
    params = spec.params
    low, high = _month_bounds(spec.row_key[0])
    if params.date_to is not None:
        high = min(high, end_of_day(params.date_to))
    conditions = _claim_filters(params)
    if spec.measure == "open_at_end":
        return [
            *conditions,
            claim.c.registered_at < high,
            or_(claim.c.resolved_at.is_(None), claim.c.resolved_at >= high),
        ]
    column = claim.c.resolved_at if spec.measure == "resolved" else claim.c.registered_at
    return [*conditions, column >= low, column < high,
            *period_conditions(column, params)]


def _day_of(connection: Connection, moment: Any) -> ColumnElement[Any]:
    """The date part of a timestamp column, comparable with a date column."""
    if connection.dialect.name == "sqlite":
        return func.date(moment)
    return cast(moment, Date)


def _claim_tasks(connection: Connection, spec: DrillSpec) -> list[ColumnElement[bool]]:
    """The tasks reports/claim_tasks.py counts in the row's cell (domain.claim_tasks.standing
    as SQL): its assignee, due in the period, standing as the measure says."""
    params = spec.params
    assignee = func.coalesce(claim_task.c.assignee_id, claim.c.manager_id)
    login = spec.row_key[0]
    conditions = [assignee == user_id_of(login) if login else assignee.is_(None)]
    if params.date_from is not None:
        conditions.append(claim_task.c.due >= params.date_from)
    if params.date_to is not None:
        conditions.append(claim_task.c.due <= params.date_to)
    today = (params.now or clock.now()).date()
    late = and_(claim_task.c.done_at.is_not(None), claim_task.c.due.is_not(None),
                _day_of(connection, claim_task.c.done_at) > claim_task.c.due)
    overdue = and_(claim_task.c.due.is_not(None), claim_task.c.due < today)
    done = claim_task.c.done == true()
    measures: dict[str, list[ColumnElement[bool]]] = {
        "done": [done],
        "done_on_time": [done, ~late],
        "done_late": [done, late],
        "open_overdue": [claim_task.c.done == false(), overdue],
        "open": [claim_task.c.done == false(), ~overdue],
    }
    return conditions + measures.get(spec.measure, [])


def _event(spec: DrillSpec) -> list[ColumnElement[bool]]:
    return [interaction.c.key == spec.row_key[0]]


def _conditions(connection: Connection, spec: DrillSpec) -> list[ColumnElement[bool]]:
    if spec.report == "funnel":
        return _funnel(connection, spec)
    if spec.report == "deal-effectiveness":
        return _deal_effectiveness(spec)
    if spec.report == "primary-demand":
        return _primary_demand(spec)
    if spec.report == "demand-lines":
        return _demand_lines(spec)
    if spec.report in ("claim-satisfaction", "claim-structure"):
        return _claim_reason(spec)
    if spec.report == "claim-dynamics":
        return _claim_dynamics(spec)
    if spec.report == "claim-tasks":
        return _claim_tasks(connection, spec)
    return _event(spec)


def _order(spec: DrillSpec) -> list[Any]:
    entity = spec.entity
    if spec.report == "claim-tasks":
        return [claim_task.c.due, claim_task.c.id]
    if entity == "deal":
        return [deal.c.created_at, deal.c.id]
    if entity == "claim":
        if spec.report == "claim-dynamics" and spec.measure == "resolved":
            return [claim.c.resolved_at, claim.c.id]
        return [claim.c.registered_at, claim.c.id]
    return [interaction.c.at, interaction.c.id]


def _base(spec: DrillSpec) -> Any:
    if spec.report == "claim-tasks":
        return claim_task
    return {"deal": deal, "claim": claim, "interaction": interaction}[spec.entity]


def _source(spec: DrillSpec) -> Any:
    """What the records are read from (a task with its claim, for claim-tasks)."""
    if spec.report == "claim-tasks":
        return claim_task.join(claim, claim.c.id == claim_task.c.claim_id)
    return _base(spec)


# --------------------------------------------------------------------------- queries
def drill_query(connection: Connection, spec: DrillSpec) -> Select[Any]:
    """The ids of the records behind `spec`, in display order (for paging and EXPLAIN)."""
    base = _base(spec)
    return (
        select(base.c.id)
        .select_from(_source(spec))
        .where(and_(*_conditions(connection, spec)))
        .order_by(*_order(spec))
    )


def drill_count(connection: Connection, spec: DrillSpec) -> int:
    """How many records are behind `spec` (equals the report number it came from)."""
    query = (select(func.count()).select_from(_source(spec))
             .where(and_(*_conditions(connection, spec))))
    return int(connection.execute(query).scalar() or 0)


def drill_fetch(connection: Connection, spec: DrillSpec, offset: int, limit: int
                ) -> list[DrillItem]:
    """One page of the records behind `spec` (ordered by their timestamp, then id)."""
    ids = drill_query(connection, spec).offset(offset).limit(limit).subquery("page")
    if spec.report == "claim-tasks":
        return _task_items(connection, spec, ids)
    if spec.entity == "deal":
        stage = classifier.alias("stage")
        query: Select[Any] = (
            select(deal.c.key, deal.c.created_at, deal.c.name, partner.c.name, app_user.c.login,
                   deal.c.status, stage.c.name, deal.c.amount_minor)
            .join(ids, ids.c.id == deal.c.id)
            .outerjoin(partner, partner.c.id == deal.c.partner_id)
            .outerjoin(app_user, app_user.c.id == deal.c.manager_id)
            .outerjoin(stage, stage.c.id == deal.c.stage_id)
            .order_by(*_order(spec))
        )
        return [
            DrillItem("deal", key, at, name, partner_name, login, status, stage_name,
                      from_minor(int(amount or 0)))
            for key, at, name, partner_name, login, status, stage_name, amount
            in _rows(connection, query)
        ]
    if spec.entity == "claim":
        reason = classifier.alias("reason")
        query = (
            select(claim.c.key, claim.c.registered_at, claim.c.description, partner.c.name,
                   app_user.c.login, claim.c.status, reason.c.name)
            .join(ids, ids.c.id == claim.c.id)
            .outerjoin(partner, partner.c.id == claim.c.partner_id)
            .outerjoin(app_user, app_user.c.id == claim.c.manager_id)
            .outerjoin(reason, reason.c.id == claim.c.reason_id)
            .order_by(*_order(spec))
        )
        return [
            DrillItem("claim", key, at, _first_line(text), partner_name, login, status,
                      reason_name, None)
            for key, at, text, partner_name, login, status, reason_name
            in _rows(connection, query)
        ]
    query = (
        select(interaction.c.key, interaction.c.at, interaction.c.topic, partner.c.name,
               app_user.c.login, interaction.c.status, interaction.c.kind)
        .join(ids, ids.c.id == interaction.c.id)
        .outerjoin(partner, partner.c.id == interaction.c.partner_id)
        .outerjoin(app_user, app_user.c.id == interaction.c.manager_id)
        .order_by(*_order(spec))
    )
    return [
        DrillItem("interaction", key, at, topic, partner_name, login, status, kind, None)
        for key, at, topic, partner_name, login, status, kind in _rows(connection, query)
    ]


def _task_items(connection: Connection, spec: DrillSpec, ids: Any) -> list[DrillItem]:
    """A task as a line of its claim: the claim's key, date, reason and status, the task's
    name and assignee."""
    reason = classifier.alias("reason")
    assignee = func.coalesce(claim_task.c.assignee_id, claim.c.manager_id)
    query = (
        select(claim.c.key, claim.c.registered_at, claim_task.c.name, partner.c.name,
               app_user.c.login, claim.c.status, reason.c.name)
        .select_from(claim_task)
        .join(ids, ids.c.id == claim_task.c.id)
        .join(claim, claim.c.id == claim_task.c.claim_id)
        .outerjoin(partner, partner.c.id == claim.c.partner_id)
        .outerjoin(app_user, app_user.c.id == assignee)
        .outerjoin(reason, reason.c.id == claim.c.reason_id)
        .order_by(*_order(spec))
    )
    return [
        DrillItem("claim", key, at, name, partner_name, login, status, reason_name, None)
        for key, at, name, partner_name, login, status, reason_name
        in _rows(connection, query)
    ]


def _first_line(text: str | None) -> str:
    return (text or "").split("\n", 1)[0][:200]


def filter_choices(connection: Connection) -> FilterChoices:
    """Managers (by login), regions and deal kinds (by their order) for the filters."""
    managers = tuple(
        Choice(login, name)
        for login, name in connection.execute(
            select(app_user.c.login, app_user.c.name).order_by(app_user.c.login)
        )
    )
    regions = tuple(
        Choice(code, name)
        for code, name in connection.execute(
            select(classifier.c.code, classifier.c.name)
            .where(classifier.c.kind == "region")
            .order_by(classifier.c.sort_order, classifier.c.name)
        )
    )
    kinds = tuple(
        Choice(code, name)
        for code, name in connection.execute(
            select(deal_kind.c.code, deal_kind.c.name)
            .order_by(deal_kind.c.sort_order, deal_kind.c.name)
        )
    )
    return FilterChoices(managers, regions, kinds)


def _rows(connection: Connection, query: Any) -> list[Any]:
    """The result rows of `query` (as plain tuples for unpacking)."""
    return [tuple(row) for row in connection.execute(query)]
