"""The drill-down lists exactly the records a report number counts (spec's small data)."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.reports.base import ReportParams
from crm_tui.reports.drilldown import (
    drill_count,
    drill_fetch,
    drill_query,
    drill_spec,
    entity_of,
    filter_choices,
)
from crm_tui.reports.registry import available_reports, compute
from crm_tui.store.database import Database

# Report -> the row fields that count records (each must equal its drill-down's count).
COUNTED = {
    "funnel": ("reached", "current", "lost_here"),
    "deal-effectiveness": ("deals", "open", "won", "lost"),
    "event-calendar": (),
    "claim-satisfaction": ("total", "satisfied", "not_satisfied", "open"),
    "claim-structure": ("count",),
    "primary-demand": ("deals",),
    "claim-dynamics": ("registered", "resolved", "open_at_end"),
    "demand-lines": (),  # counts lines, not the deals a drill-down lists
    "claim-tasks": ("total", "done_on_time", "done_late", "open_overdue", "open"),
}

PARAMS = (
    ReportParams(),
    ReportParams(date_from=date(2025, 11, 1), date_to=date(2025, 12, 31)),
    ReportParams(manager="petrova"),
    ReportParams(kind="typical"),
)


def _check(db: Database, name: str, params: ReportParams) -> int:
    result = compute(db, name, params)
    checked = 0
    with db.read() as session:
        connection = session.connection()
        for row in result.rows:
            for field in COUNTED[name]:
                spec = drill_spec(name, row, params, field)
                assert spec is not None
                count = drill_count(connection, spec)
                assert count == row[field], (name, params, row, field)
                items = drill_fetch(connection, spec, 0, 1000)
                assert len(items) == count
                assert all(item.entity == entity_of(name) for item in items)
                checked += 1
    return checked


@pytest.mark.parametrize("name", list(COUNTED))
def test_drill_counts_equal_report_numbers(small_db: Database, name: str) -> None:
    checked = 0
    for params in PARAMS:
        if params.kind and name not in ("funnel", "deal-effectiveness", "primary-demand"):
            continue
        if name == "event-calendar" and params.manager:
            continue
        checked += _check(small_db, name, params)
    if COUNTED[name]:
        assert checked > 0


def test_every_report_can_drill() -> None:
    for info in available_reports():
        assert drill_spec(info.name, {}, ReportParams()) is not None


def test_event_row_drills_to_its_interaction(small_db: Database) -> None:
    result = compute(small_db, "event-calendar", ReportParams())
    assert result.rows
    row = result.rows[0]
    spec = drill_spec("event-calendar", row, ReportParams())
    assert spec is not None
    with small_db.read() as session:
        items = drill_fetch(session.connection(), spec, 0, 10)
    assert [item.key for item in items] == [row["id"]]
    assert items[0].name == row["topic"]


def test_paging_is_stable(small_db: Database) -> None:
    result = compute(small_db, "funnel", ReportParams())
    spec = drill_spec("funnel", result.rows[0], ReportParams(), "reached")
    assert spec is not None
    with small_db.read() as session:
        connection = session.connection()
        whole = [item.key for item in drill_fetch(connection, spec, 0, 1000)]
        paged = [item.key for offset in range(0, len(whole), 7)
                 for item in drill_fetch(connection, spec, offset, 7)]
    assert paged == whole
    assert len(set(whole)) == len(whole)


def test_other_measure_falls_back_to_the_row_measure(small_db: Database) -> None:
    spec = drill_spec("funnel", {"stage": "lead"}, ReportParams(), "name")
    assert spec is not None and spec.measure == "reached"
    spec = drill_spec("deal-effectiveness", {"manager": "x"}, ReportParams(), "won_amount")
    assert spec is not None and spec.measure == "won"


def test_unknown_stage_lists_nothing(small_db: Database) -> None:
    spec = drill_spec("funnel", {"stage": "nope"}, ReportParams())
    assert spec is not None
    with small_db.read() as session:
        assert drill_count(session.connection(), spec) == 0


def test_queries_use_indexes(small_db: Database) -> None:
    """The paging queries search by index, never scan the deal/claim/interaction tables."""
    params = ReportParams(date_from=date(2025, 11, 1), date_to=date(2025, 12, 31))
    cases = [
        drill_spec("funnel", {"stage": "lead"}, params),
        drill_spec("claim-structure", {"reason": "defect"}, params),
        drill_spec("event-calendar", {"id": "I-1"}, params),
        drill_spec("deal-effectiveness", {"manager": "petrova"}, params, "won"),
    ]
    with small_db.read() as session:
        connection = session.connection()
        for spec in cases:
            assert spec is not None
            query = drill_query(connection, spec).limit(200)
            compiled = query.compile(connection, compile_kwargs={"literal_binds": True})
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
            details = " | ".join(str(row[-1]) for row in plan)
            for table in ("deal", "claim", "interaction"):
                assert f"SCAN {table} " not in details + " ", (spec.report, details)
                assert not details.endswith(f"SCAN {table}"), (spec.report, details)


def test_filter_choices(small_db: Database) -> None:
    with small_db.read() as session:
        choices = filter_choices(session.connection())
    assert choices.managers and choices.regions and choices.kinds
    logins = [choice.code for choice in choices.managers]
    assert logins == sorted(logins)


@pytest.mark.parametrize("params", [
    ReportParams(), ReportParams(kind="m"), ReportParams(kind="s"),
    ReportParams(date_from=date(2025, 3, 20), date_to=date(2025, 4, 30)),
    ReportParams(region="MSK"), ReportParams(manager="anna"),
])
def test_edge_cases_dataset(db: Database, params: ReportParams) -> None:
    """Skipped stages, deals without entries, backward moves, partial months."""
    from tests.unit.reports.conftest import claims, classifiers, deals, interactions, load

    load(db, classifiers() + deals() + claims() + interactions())
    for name in COUNTED:
        if params.kind and name not in ("funnel", "deal-effectiveness", "primary-demand"):
            continue
        _check(db, name, params)
