"""funnel on the hand-computed dataset (tests/unit/reports/conftest.py)."""

from __future__ import annotations

import pytest

from crm_tui.reports.base import ReportError
from crm_tui.store.database import Database
from tests.unit.reports.helpers import column, report


def test_funnel_whole_history(dataset: Database) -> None:
    # Population: D1 D2 D3 D4 D6 (D5 is non-process). Furthest: D1 b, D2 c (skipped b),
    # D3 a, D4 none (closed without entries), D6 b (went back to a).
    document = report(dataset, "funnel")
    assert document["rows"] == [
        {"stage": "a", "name": "Lead", "reached": 4, "amount": "380.50",
         "conversion_from_prev": None, "conversion_from_first": 100.0,
         "current": 1, "lost_here": 1,
         # D1 2.0, D2 2.0, D3 1.25 (closed), D6 2.0; D6's second a is not left: 7.25 / 4
         "avg_days_in_stage": 1.8},
        {"stage": "b", "name": "Qualify", "reached": 3, "amount": "330.00",
         "conversion_from_prev": 75.0, "conversion_from_first": 75.0,
         "current": 1, "lost_here": 0,
         # only D6's b was left, after 1.25 days: half-up gives 1.3
         "avg_days_in_stage": 1.3},
        {"stage": "c", "name": "Offer", "reached": 1, "amount": "200.00",
         "conversion_from_prev": 33.3, "conversion_from_first": 25.0,
         "current": 0, "lost_here": 0, "avg_days_in_stage": 1.5},
        # a stage nobody reached
        {"stage": "d", "name": "Contract", "reached": 0, "amount": "0.00",
         "conversion_from_prev": 0.0, "conversion_from_first": 0.0,
         "current": 0, "lost_here": 0, "avg_days_in_stage": None},
    ]
    assert document["totals"] == {
        "deals": 5, "open": 2, "won": 1, "lost": 2, "won_amount": "200.00",
    }
    assert document["params"] == {
        "from": None, "to": None, "manager": None, "region": None, "kind": None,
    }


def test_funnel_kind_uses_the_kinds_stages_and_order(dataset: Database) -> None:
    # Kind m walks a, c, b: D2 (a, c) reached c; D6 (a, b, a) is furthest at b, after c.
    document = report(dataset, "funnel", kind="m")
    assert column(document, "stage") == ["a", "c", "b"]
    assert column(document, "reached") == [2, 2, 1]
    assert column(document, "amount") == ["230.00", "230.00", "30.00"]
    assert column(document, "conversion_from_prev") == [None, 100.0, 50.0]
    assert document["totals"] == {
        "deals": 3, "open": 1, "won": 1, "lost": 1, "won_amount": "200.00",
    }


def test_funnel_previous_zero_gives_null(dataset: Database) -> None:
    document = report(dataset, "funnel", kind="s")
    assert column(document, "reached") == [2, 1, 0, 0]
    assert column(document, "conversion_from_prev") == [None, 50.0, 0.0, None]


def test_funnel_period_is_inclusive_on_the_date_part(dataset: Database) -> None:
    # D6 was created 2024-12-31 23:59; D2 on 2025-01-11 00:00.
    assert report(dataset, "funnel", date_to="2024-12-31")["totals"]["deals"] == 1
    january = report(dataset, "funnel", date_from="2025-01-01", date_to="2025-01-11")
    assert january["totals"]["deals"] == 2  # D1, D2
    assert january["params"]["from"] == "2025-01-01"


def test_funnel_filters(dataset: Database) -> None:
    assert report(dataset, "funnel", manager="ivan")["totals"]["deals"] == 3  # D1 D3 D4
    by_region = report(dataset, "funnel", region="MSK")  # partner P1: D1 D4 D6
    assert by_region["totals"]["deals"] == 3
    assert column(by_region, "reached") == [2, 2, 0, 0]
    assert report(dataset, "funnel", manager="nobody")["totals"]["deals"] == 0


def test_funnel_empty_period(dataset: Database) -> None:
    document = report(dataset, "funnel", date_from="2030-01-01")
    assert column(document, "reached") == [0, 0, 0, 0]
    assert column(document, "conversion_from_first") == [None] * 4
    assert column(document, "avg_days_in_stage") == [None] * 4
    assert document["totals"] == {"deals": 0, "open": 0, "won": 0, "lost": 0,
                                  "won_amount": "0.00"}


def test_funnel_unknown_kind_and_reversed_period(dataset: Database) -> None:
    with pytest.raises(ReportError):
        report(dataset, "funnel", kind="nope")
    with pytest.raises(ReportError):
        report(dataset, "funnel", date_from="2025-02-01", date_to="2025-01-01")
