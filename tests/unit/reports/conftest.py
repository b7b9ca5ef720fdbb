"""Hand-computed datasets for the report tests, built as exchange JSON lines.

`dataset` holds: stages a(10) b(20) c(30) d(40); kinds s (strict: a b c d), m (manual:
a c b — its own order differs from the classifier's), n (non-process); managers ivan (Ivan)
and anna (Anna); partners P1 (MSK, ivan) and P2 (SPB). The expected numbers in the tests
are worked out by hand from the records below (see each test's comments)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from crm_tui.store.database import Database


def classifiers() -> list[dict[str, Any]]:
    return [
        {"type": "region", "code": "MSK", "name": "Moscow"},
        {"type": "region", "code": "SPB", "name": "Saint Petersburg"},
        {"type": "demand_reason", "code": "r1", "name": "Out of stock"},
        {"type": "demand_reason", "code": "r2", "name": "Not in range"},
        {"type": "loss_reason", "code": "price", "name": "Price"},
        {"type": "claim_reason", "code": "x", "name": "Late"},
        {"type": "claim_reason", "code": "y", "name": "Defect"},
        {"type": "claim_reason", "code": "z", "name": "Broken"},
        {"type": "stage", "code": "a", "name": "Lead", "order": 10},
        {"type": "stage", "code": "b", "name": "Qualify", "order": 20},
        {"type": "stage", "code": "c", "name": "Offer", "order": 30},
        {"type": "stage", "code": "d", "name": "Contract", "order": 40},
        {"type": "deal_kind", "code": "s", "name": "Strict", "stage_control": "strict",
         "stages": ["a", "b", "c", "d"]},
        {"type": "deal_kind", "code": "m", "name": "Manual", "stage_control": "manual",
         "stages": ["a", "c", "b"]},
        {"type": "deal_kind", "code": "n", "name": "None", "stage_control": "none",
         "stages": []},
        {"type": "user", "login": "ivan", "name": "Ivan"},
        {"type": "user", "login": "anna", "name": "Anna"},
        {"type": "partner", "id": "P1", "name": "Alpha", "region": "MSK", "roles": ["client"],
         "manager": "ivan"},
        {"type": "partner", "id": "P2", "name": "Beta", "region": "SPB", "roles": ["client"]},
    ]


def deal(key: str, kind: str, manager: str, partner: str, amount: str, created: str,
         status: str = "open", stages: list[tuple[str, str]] | None = None,
         closed: str | None = None, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type": "deal", "id": key, "name": f"Deal {key}", "partner": partner, "kind": kind,
        "manager": manager, "amount": amount, "created_at": created, "status": status,
        "stages": [{"stage": stage, "at": at} for stage, at in stages or []],
    }
    if closed:
        record["closed_at"] = closed
    if status == "lost":
        record["loss_reason"] = "price"
    record.update(extra)
    return record


def deals() -> list[dict[str, Any]]:
    return [
        # open strict deal at b: furthest b, current b.
        deal("D1", "s", "ivan", "P1", "100.00", "2025-01-10T10:00",
             stages=[("a", "2025-01-10T12:00"), ("b", "2025-01-12T12:00")],
             demand_reasons=["r1", "r2"]),
        # won manual deal that skipped b (counts as reached): a 2.0 days, c 1.5 days.
        deal("D2", "m", "anna", "P2", "200.00", "2025-01-11T00:00", "won",
             [("a", "2025-01-11T00:00"), ("c", "2025-01-13T00:00")], "2025-01-14T12:00",
             demand_reasons=["r1"]),
        # lost strict deal at a: a left at closing after 1.25 days.
        deal("D3", "s", "ivan", "P2", "50.50", "2025-02-01T00:00", "lost",
             [("a", "2025-02-01T00:00")], "2025-02-02T06:00"),
        # lost manual deal closed without any stage entry.
        deal("D4", "m", "ivan", "P1", "10.00", "2025-02-05T00:00", "lost", [],
             "2025-02-06T00:00"),
        # won non-process deal: not in the funnel, in deal-effectiveness.
        deal("D5", "n", "anna", "P1", "999.99", "2025-01-20T00:00", "won", [],
             "2025-01-25T00:00", demand_reasons=["r2"]),
        # open manual deal that went a -> b -> back to a: furthest b, current a.
        deal("D6", "m", "anna", "P1", "30.00", "2024-12-31T23:59", "open",
             [("a", "2025-01-01T00:00"), ("b", "2025-01-03T00:00"), ("a", "2025-01-04T06:00")]),
    ]


def claim(key: str, reason: str, partner: str, registered: str, status: str,
          resolved: str | None = None, manager: str | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type": "claim", "id": key, "partner": partner, "reason": reason,
        "registered_at": registered, "description": f"Claim {key}", "status": status,
        "posted": False, "source": "list", "tasks": [],
    }
    if resolved:
        record["resolved_at"] = resolved
    if manager:
        record["manager"] = manager
    return record


def claims() -> list[dict[str, Any]]:
    return [
        claim("C1", "x", "P1", "2025-03-01T10:00", "satisfied", "2025-03-10T00:00", "ivan"),
        claim("C2", "y", "P2", "2025-03-15T10:00", "not_satisfied", "2025-04-02T00:00", "anna"),
        claim("C3", "y", "P1", "2025-04-01T10:00", "open", None, "ivan"),
        claim("C4", "x", "P2", "2025-04-20T10:00", "satisfied", "2025-05-05T00:00", "anna"),
        claim("C5", "z", "P1", "2025-05-31T23:00", "open"),
    ]


def interactions() -> list[dict[str, Any]]:
    base = {"type": "interaction", "topic": "Topic"}
    return [
        {**base, "id": "I3", "kind": "email", "at": "2025-03-05T10:00", "status": "done"},
        {**base, "id": "I1", "kind": "call", "at": "2025-03-01T09:00", "status": "in_progress",
         "partner": "P1", "manager": "ivan", "subject": {"deal": "D1"}},
        {**base, "id": "I2", "kind": "meeting", "at": "2025-03-01T09:00",
         "status": "in_progress", "manager": "anna", "subject": {"claim": "C1"}},
        {**base, "id": "I4", "kind": "sms", "at": "2025-03-10T08:30", "status": "in_progress",
         "partner": "P2", "subject": {"interaction": "I3"}},
        {**base, "id": "I5", "kind": "planned", "at": "2025-04-01T00:00",
         "status": "in_progress"},
    ]


def load(db: Database, records: list[dict[str, Any]]) -> Database:
    """Import `records` as exchange JSON lines."""
    from crm_tui.exchange.importer import import_lines

    import_lines(db, [json.dumps(record, ensure_ascii=False) for record in records])
    return db


@pytest.fixture
def dataset(db: Database) -> Database:
    """The hand-computed dataset above, imported."""
    return load(db, classifiers() + deals() + claims() + interactions())


@pytest.fixture
def empty_dataset(db: Database) -> Database:
    """Only the classifiers, users and partners: every report is empty."""
    return load(db, classifiers())
