"""Primary demand as lines: the domain's checks, the store, the exchange format's optional
`demand_lines` and the reports that count them (demand-lines, primary-demand's line columns)."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from crm_tui.domain.deals import DealDraft, DemandLine, parse_quantity, validate_demand_line
from crm_tui.domain.errors import ValidationError
from crm_tui.exchange.errors import ImportFailed
from crm_tui.exchange.exporter import export_lines
from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database
from crm_tui.store.repo_deals_form import create_deal, form_choices, load_deal
from tests.support.login import set_login_for_tests
from tests.unit.deals.data import seed
from tests.unit.reports.helpers import report

LINES: list[dict[str, Any]] = [
    {"item": "Pipe DN50", "quantity": "10", "price": "150.00", "amount": "1500.00",
     "met": True},
    {"item": "Valve", "quantity": "2.5", "amount": "99.99", "met": False, "reason": "stock"},
    {"item": "Pipe DN50", "met": False, "reason": "stock"},
]


@pytest.fixture
def lines_db(db: Database, fixed_now: datetime) -> Database:
    seed(db, [{"type": "deal", "id": "D9", "name": "Asked a lot", "partner": "P1",
               "kind": "longterm", "manager": "ivanov", "amount": "7.00",
               "created_at": "2026-01-02T09:00:00", "status": "open", "stages": [],
               "demand_reasons": ["stock"], "demand_lines": LINES}])
    set_login_for_tests("ivanov")
    return db


def test_line_checks() -> None:
    line = validate_demand_line(DemandLine("stock", item=" Pipe ", quantity=Decimal("3"),
                                           price=Decimal("0.35")))
    assert line.item == "Pipe" and line.amount == Decimal("1.05")  # quantity × price
    met = validate_demand_line(DemandLine("stock", item="Pipe", met=True))
    assert met.reason is None  # a met line has no reason
    with pytest.raises(ValidationError, match="unmet-demand reason"):
        validate_demand_line(DemandLine(None, item="Pipe"))
    with pytest.raises(ValidationError, match="item"):
        validate_demand_line(DemandLine(None, met=True))
    assert parse_quantity("1 000,5") == Decimal("1000.5") and parse_quantity(" ") is None
    for bad in ("1.2345", "-1", "1e5", "x"):
        with pytest.raises(ValidationError, match="quantity"):
            parse_quantity(bad)


def test_lines_load_and_round_trip(lines_db: Database) -> None:
    with lines_db.read() as s:
        demand = load_deal(s, "D9").draft.demand
        assert form_choices(s).demand_items == ("Pipe DN50", "Valve")
    assert demand[0] == DemandLine("stock")  # the reason alone comes first
    assert demand[1] == DemandLine(None, "", Decimal("1500.00"), "Pipe DN50", Decimal("10"),
                                   Decimal("150.00"), True)
    assert demand[2].quantity == Decimal("2.5") and demand[2].reason == "stock"
    exported = [json.loads(line) for line in export_lines(lines_db)]
    deal = next(r for r in exported if r.get("id") == "D9")
    assert deal["demand_reasons"] == ["stock"] and deal["demand_lines"] == LINES
    assert "demand_lines" not in next(r for r in exported if r.get("id") == "D1")


def test_saved_from_a_draft(lines_db: Database) -> None:
    with lines_db.write() as s:
        key = create_deal(s, DealDraft(
            name="New", partner="P1", kind="longterm", manager="ivanov", amount=Decimal(1),
            demand=(DemandLine(None, item="Cable", quantity=Decimal("1.5"),
                               price=Decimal("10"), met=True),)))
    with lines_db.read() as s:
        assert load_deal(s, key).draft.demand == (
            DemandLine(None, "", Decimal("15.00"), "Cable", Decimal("1.5"), Decimal("10.00"),
                       True),)


@pytest.mark.parametrize(("line", "message"), [
    ({"item": "X", "met": False}, "demand_lines[1].reason: required"),
    ({"item": "X", "met": True, "reason": "stock"}, "a met line has no"),
    ({"item": "X", "met": True, "quantity": 2}, "demand_lines[1].quantity"),
    ({"item": "", "met": True}, "demand_lines[1].item"),
    ({"item": "X", "met": True, "price": "-1"}, "demand_lines[1].price"),
    ({"item": "X", "met": False, "reason": "nope"}, "demand_lines[1].reason"),
    ({"met": True}, "demand_lines[1].item"),
])
def test_bad_lines_refused(db: Database, line: dict[str, Any], message: str) -> None:
    with pytest.raises(ImportFailed, match=message.replace("[", r"\[").replace("]", r"\]")):
        seed(db, [{"type": "deal", "id": "D9", "name": "N", "partner": "P1",
                   "kind": "longterm", "manager": "ivanov", "amount": "1.00",
                   "created_at": "2026-01-02T09:00:00", "status": "open", "stages": [],
                   "demand_lines": [line]}])


def test_demand_lines_report(lines_db: Database) -> None:
    document = report(lines_db, "demand-lines")
    assert document["rows"] == [
        {"item": "Pipe DN50", "manager": "ivanov", "manager_name": "Ivanov I.", "asked": 2,
         "asked_amount": "1500.00", "unmet": 1, "unmet_amount": "0.00", "unmet_share": 50.0},
        {"item": "Valve", "manager": "ivanov", "manager_name": "Ivanov I.", "asked": 1,
         "asked_amount": "99.99", "unmet": 1, "unmet_amount": "99.99", "unmet_share": 100.0},
    ]
    assert document["totals"] == {"asked": 3, "asked_amount": "1599.99", "unmet": 2,
                                  "unmet_amount": "99.99", "unmet_share": 66.7}
    assert report(lines_db, "demand-lines", manager="petrova")["rows"] == []


def test_primary_demand_uses_the_lines_amounts(lines_db: Database) -> None:
    rows = report(lines_db, "primary-demand")["rows"]
    # D9 lists "stock" alone and on two unmet lines: one deal, three lines, 99.99 unmet
    assert [(r["reason"], r["deals"], r["amount"], r["lines"], r["unmet_amount"])
            for r in rows] == [("stock", 1, "7.00", 3, "99.99")]


def test_files_without_lines_round_trip(db: Database, fixed_now: datetime) -> None:
    seed(db)
    first = list(export_lines(db))
    assert all("demand_lines" not in line for line in first)
    import_lines(db, first)
    assert list(export_lines(db)) == first
