"""SQL building blocks shared by the report queries (SQLAlchemy Core, SQLite and PostgreSQL).

Only two expressions differ between dialects: the seconds between two timestamps and the
month of a timestamp; both branch on the dialect name (`Database.dialect`).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import Integer, String, bindparam, func, literal, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.sql.elements import ColumnElement

from crm_tui.domain.clock import end_of_day
from crm_tui.reports.base import ReportParams
from crm_tui.reports.tables import (  # noqa: F401 - the tables the report modules import
    app_user,
    claim,
    claim_task,
    classifier,
    deal,
    deal_kind,
    deal_kind_stage,
    demand_reason,
    interaction,
    partner,
    stage_entry,
)


def period_conditions(
    column: ColumnElement[Any], params: ReportParams
) -> list[ColumnElement[bool]]:
    """`column`'s date part within [date_from, date_to], as range conditions on the timestamp
    itself (so an index on it is used): column >= from 00:00 and column < (to + 1 day) 00:00.

    The values are bind parameters named as queries.bind_values names them, so that the
    SQL compiled ahead for SQLite (sqlite_sql/) takes them."""
    conditions: list[ColumnElement[bool]] = []
    if params.date_from is not None:
        start = datetime.combine(params.date_from, time())
        conditions.append(column >= bindparam("period_start", start))
    if params.date_to is not None:
        conditions.append(column < bindparam("period_end", end_of_day(params.date_to)))
    return conditions


def user_id_of(login: str, bind: str | None = None) -> Any:
    """A scalar subquery: the id of the user `login` (a bind parameter named `bind`, when
    given: the --manager option's is "manager")."""
    value: Any = login if bind is None else bindparam(bind, login)
    return select(app_user.c.id).where(app_user.c.login == value).scalar_subquery()


def classifier_id_of(kind: str, code: Any) -> Any:
    """A scalar subquery: the id of classifier value `code` of `kind`."""
    return (
        select(classifier.c.id)
        .where(classifier.c.kind == kind, classifier.c.code == code)
        .scalar_subquery()
    )


def region_condition(partner_id: ColumnElement[Any], region: str) -> ColumnElement[bool]:
    """The partner `partner_id` is in region `region` (bound as :region)."""
    in_region = select(partner.c.id).where(
        partner.c.region_id == classifier_id_of("region", bindparam("region", region))
    )
    return partner_id.in_(in_region)


def seconds_between(dialect: str, start: Any, end: Any) -> ColumnElement[Any]:
    """Whole seconds from `start` to `end` (an integer expression)."""
    if dialect == "sqlite":
        days = func.julianday(end) - func.julianday(start)
        return sql_cast(func.round(days * 86400), Integer)
    return sql_cast(func.extract("epoch", end - start), Integer)


def month_of(dialect: str, column: Any) -> ColumnElement[Any]:
    """'YYYY-MM' of a timestamp."""
    if dialect == "sqlite":
        return func.substr(sql_cast(column, String), 1, 7)
    return func.to_char(column, literal("YYYY-MM"))


def deal_conditions(params: ReportParams) -> list[ColumnElement[bool]]:
    """The common deal population filters: created in the period, manager, region, kind."""
    conditions = period_conditions(deal.c.created_at, params)
    if params.manager is not None:
        conditions.append(deal.c.manager_id == user_id_of(params.manager, "manager"))
    if params.region is not None:
        conditions.append(region_condition(deal.c.partner_id, params.region))
    if params.kind is not None:
        kind_id = (select(deal_kind.c.id).where(deal_kind.c.code == bindparam("kind", params.kind))
                   .scalar_subquery())
        conditions.append(deal.c.kind_id == kind_id)
    return conditions
