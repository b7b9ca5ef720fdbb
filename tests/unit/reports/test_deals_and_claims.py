"""deal-effectiveness, event-calendar, claim reports and primary-demand on the hand-computed
dataset (tests/unit/reports/conftest.py)."""

from __future__ import annotations

from datetime import datetime

from crm_tui.store.database import Database
from tests.unit.reports.helpers import column, report


def test_deal_effectiveness(dataset: Database) -> None:
    # anna: D2 won 200 (3.5 days), D5 won 999.99 (5 days), D6 open 30.
    # ivan: D1 open 100, D3 lost 50.50 (1.25 days), D4 lost 10 (1 day).
    document = report(dataset, "deal-effectiveness")
    assert document["rows"] == [
        {"manager": "anna", "name": "Anna", "deals": 3, "open": 1, "won": 2, "lost": 0,
         "win_rate": 100.0, "won_amount": "1199.99", "lost_amount": "0.00",
         "open_amount": "30.00", "avg_cycle_days": 4.3},  # 4.25 half-up
        {"manager": "ivan", "name": "Ivan", "deals": 3, "open": 1, "won": 0, "lost": 2,
         "win_rate": 0.0, "won_amount": "0.00", "lost_amount": "60.50",
         "open_amount": "100.00", "avg_cycle_days": 1.1},  # 1.125
    ]
    assert document["totals"] == {
        "deals": 6, "open": 2, "won": 2, "lost": 2, "win_rate": 50.0,
        "won_amount": "1199.99", "lost_amount": "60.50", "open_amount": "130.00",
        "avg_cycle_days": 2.7,  # 10.75 / 4 = 2.6875
    }


def test_deal_effectiveness_nothing_closed_and_filters(dataset: Database) -> None:
    only_open = report(dataset, "deal-effectiveness", kind="s", date_to="2025-01-31")  # D1
    assert only_open["rows"][0]["win_rate"] is None
    assert only_open["rows"][0]["avg_cycle_days"] is None
    assert column(report(dataset, "deal-effectiveness", region="SPB"), "deals") == [1, 1]
    empty = report(dataset, "deal-effectiveness", date_from="2030-01-01")
    assert empty["rows"] == []
    assert empty["totals"]["deals"] == 0
    assert empty["totals"]["won_amount"] == "0.00"
    assert empty["totals"]["win_rate"] is None


def test_event_calendar(dataset: Database) -> None:
    document = report(dataset, "event-calendar", now="2025-03-05T00:00")
    assert document["rows"] == [
        {"date": "2025-03-01", "time": "09:00", "id": "I1", "kind": "call", "topic": "Topic",
         "partner": "Alpha", "subject": "deal:D1", "overdue": True},
        {"date": "2025-03-01", "time": "09:00", "id": "I2", "kind": "meeting",
         "topic": "Topic", "partner": None, "subject": "claim:C1", "overdue": True},
        {"date": "2025-03-10", "time": "08:30", "id": "I4", "kind": "sms", "topic": "Topic",
         "partner": "Beta", "subject": "interaction:I3", "overdue": False},
        {"date": "2025-04-01", "time": "00:00", "id": "I5", "kind": "planned",
         "topic": "Topic", "partner": None, "subject": None, "overdue": False},
    ]
    assert document["totals"] == {"count": 4, "overdue": 2}
    assert document["params"]["now"] == "2025-03-05T00:00"


def test_event_calendar_filters_and_default_now(dataset: Database, fixed_now: datetime) -> None:
    assert column(report(dataset, "event-calendar", manager="ivan"), "id") == ["I1"]
    ranged = report(dataset, "event-calendar", date_from="2025-03-02", date_to="2025-03-10")
    assert column(ranged, "id") == ["I4"]
    everything = report(dataset, "event-calendar")  # now = the fixed clock, 2026-01-15
    assert everything["totals"] == {"count": 4, "overdue": 4}
    assert everything["params"]["now"] == "2026-01-15T10:30"


def test_claim_satisfaction(dataset: Database) -> None:
    document = report(dataset, "claim-satisfaction")
    assert document["rows"] == [  # sorted by reason name
        {"reason": "z", "name": "Broken", "total": 1, "satisfied": 0, "not_satisfied": 0,
         "open": 1, "satisfied_share": None},
        {"reason": "y", "name": "Defect", "total": 2, "satisfied": 0, "not_satisfied": 1,
         "open": 1, "satisfied_share": 0.0},
        {"reason": "x", "name": "Late", "total": 2, "satisfied": 2, "not_satisfied": 0,
         "open": 0, "satisfied_share": 100.0},
    ]
    assert document["totals"] == {"total": 5, "satisfied": 2, "not_satisfied": 1, "open": 2,
                                  "satisfied_share": 66.7}
    assert column(report(dataset, "claim-satisfaction", manager="ivan"), "total") == [1, 1]
    # C5 was registered on 2025-05-31 at 23:00: inside a period ending that day.
    assert report(dataset, "claim-satisfaction", date_to="2025-05-31")["totals"]["total"] == 5
    assert report(dataset, "claim-satisfaction", date_to="2025-05-30")["totals"]["total"] == 4


def test_claim_structure_ties_by_name(dataset: Database) -> None:
    document = report(dataset, "claim-structure")
    assert [(r["rank"], r["reason"], r["count"], r["share"]) for r in document["rows"]] == [
        (1, "y", 2, 40.0), (2, "x", 2, 40.0), (3, "z", 1, 20.0),
    ]
    assert document["totals"] == {"count": 5}
    moscow = report(dataset, "claim-structure", region="MSK")  # C1 x, C3 y, C5 z
    assert column(moscow, "name") == ["Broken", "Defect", "Late"]
    assert column(moscow, "share") == [33.3, 33.3, 33.3]
    assert report(dataset, "claim-structure", date_from="2030-01-01") == {
        "report": "claim-structure",
        "params": {"from": "2030-01-01", "to": None, "manager": None, "region": None},
        "rows": [], "totals": {"count": 0},
    }


def test_claim_dynamics(dataset: Database) -> None:
    document = report(dataset, "claim-dynamics")
    assert document["rows"] == [
        {"month": "2025-03", "registered": 2, "resolved": 1, "open_at_end": 1},
        {"month": "2025-04", "registered": 2, "resolved": 1, "open_at_end": 2},
        {"month": "2025-05", "registered": 1, "resolved": 1, "open_at_end": 2},
    ]
    assert document["totals"] == {"registered": 5, "resolved": 3, "open_at_end": 2}
    april = report(dataset, "claim-dynamics", date_from="2025-04-01", date_to="2025-04-30")
    assert april["rows"] == [
        {"month": "2025-04", "registered": 2, "resolved": 1, "open_at_end": 2},
    ]
    assert april["totals"] == {"registered": 2, "resolved": 1, "open_at_end": 2}


def test_primary_demand(dataset: Database) -> None:
    # D1 (ivan, 100) r1 + r2; D2 (anna, 200) r1; D5 (anna, 999.99) r2.
    document = report(dataset, "primary-demand")
    assert [(r["reason"], r["manager"], r["deals"], r["amount"]) for r in document["rows"]] == [
        ("r2", "anna", 1, "999.99"),  # "Not in range" sorts before "Out of stock"
        ("r2", "ivan", 1, "100.00"),
        ("r1", "anna", 1, "200.00"),
        ("r1", "ivan", 1, "100.00"),
    ]
    assert document["totals"] == {"deals": 3, "amount": "1299.99"}  # D1 counted once
    assert report(dataset, "primary-demand", kind="n")["totals"] == {
        "deals": 1, "amount": "999.99",
    }
