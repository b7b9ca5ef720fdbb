"""The one entry point to the reports, shared by `crm report` and the app's report panels."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from crm_tui.domain import clock
from crm_tui.i18n import _
from crm_tui.memory import collector_paused
from crm_tui.reports.base import ReportError, ReportParams, ReportResult
from crm_tui.reports.catalog import BY_NAME, REPORTS

if TYPE_CHECKING:
    from crm_tui.store.database import Database


@dataclass(frozen=True)
class ReportInfo:
    """A report's name (as typed on the command line) and its translated title."""

    name: str
    title: str
    filters: tuple[str, ...]


def available_reports() -> list[ReportInfo]:
    """Every report, in the order the app and `crm report --help` list them."""
    return [ReportInfo(spec.name, spec.title(), spec.filters) for spec in REPORTS]


def report_filters(name: str) -> tuple[str, ...]:
    """The options report `name` takes ("from", "to", "manager", "region", "kind", "now")."""
    return tuple(_module(name).FILTERS)


def _module(name: str) -> ModuleType:
    """Report `name`'s module (NAME, FILTERS, title(), columns(), total_columns(),
    statements(dialect, params) and compute(queries, params)), imported on first use:
    `crm report` imports the one it runs, not all of them."""
    spec = BY_NAME.get(name)
    if spec is None:
        raise ReportError(
            _("unknown report: {name} (available: {names})").format(
                name=name, names=", ".join(BY_NAME)
            )
        )
    return import_module(f"crm_tui.reports.{spec.module}")


def params_dict(name: str, params: ReportParams) -> dict[str, Any]:
    """The parameters as printed in the JSON output: the options the report takes."""
    values: dict[str, Any] = {
        "from": params.date_from.isoformat() if params.date_from else None,
        "to": params.date_to.isoformat() if params.date_to else None,
        "manager": params.manager,
        "region": params.region,
        "kind": params.kind,
        "now": params.now.isoformat(timespec="minutes") if params.now else None,
    }
    return {key: values[key] for key in report_filters(name)}


def compute(db: Database, name: str, params: ReportParams) -> ReportResult:
    """Compute report `name` on `db`; raises ReportError for an unknown report or bad options.

    `params.now`, when the report uses it and it is not given, becomes `clock.now()`."""
    from crm_tui.reports.queries import CoreQueries

    module, params = _prepared(name, params)
    with collector_paused(), db.read_plain() as connection:  # Core only: no ORM, no models
        result: ReportResult = module.compute(
            CoreQueries(connection, db.dialect, module, params), params)
    result.params = params_dict(name, params)
    return result


def compute_on_sqlite(connection: sqlite3.Connection, name: str,
                      params: ReportParams) -> ReportResult:
    """`compute` on a plain sqlite3 connection, with each statement's SQL as compiled ahead
    for SQLite (reports/sqlite_sql/): no SQLAlchemy imported (`crm report` on SQLite)."""
    from crm_tui.reports.queries import SqliteQueries

    module, params = _prepared(name, params)
    with collector_paused():
        result: ReportResult = module.compute(
            SqliteQueries(connection, BY_NAME[name].module, module.FILTERS, params), params)
    result.params = params_dict(name, params)
    return result


def _prepared(name: str, params: ReportParams) -> tuple[ModuleType, ReportParams]:
    module = _module(name)
    if "now" in module.FILTERS and params.now is None:
        params = ReportParams(
            params.date_from, params.date_to, params.manager, params.region, params.kind,
            clock.now(),
        )
    return module, params

