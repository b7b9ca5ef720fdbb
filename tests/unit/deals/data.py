"""Small hand-made deal data in the exchange format, shared by the deals tests."""

from __future__ import annotations

import json
from typing import Any

from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database

HOSTILE = "[/]Evil[@click=app.quit]x[/] \x1b]52;c;SGVsbG8=\x07"
HOSTILE_SAFE = "[/]Evil[@click=app.quit]x[/]"


def _records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = [
        {"type": "region", "code": "MSK", "name": "Moscow"},
        {"type": "region", "code": "SPB", "name": "St Petersburg"},
        {"type": "partner_role", "code": "buyer", "name": "Buyer"},
        {"type": "partner_role", "code": "payer", "name": "Payer"},
        {"type": "contact_role", "code": "decider", "name": "Decision maker"},
        {"type": "demand_reason", "code": "stock", "name": "Out of stock"},
        {"type": "loss_reason", "code": "price", "name": "Price too high"},
        {"type": "loss_reason", "code": "competitor", "name": "Chose a competitor"},
        {"type": "stage", "code": "lead", "name": "Lead", "order": 10},
        {"type": "stage", "code": "qualify", "name": "Qualification", "order": 20},
        {"type": "stage", "code": "proposal", "name": "Proposal", "order": 30},
        {"type": "deal_kind", "code": "typical", "name": "Typical sale",
         "stage_control": "strict", "stages": ["lead", "qualify", "proposal"]},
        {"type": "deal_kind", "code": "project", "name": "Project sale",
         "stage_control": "manual", "stages": ["lead", "qualify", "proposal"]},
        {"type": "deal_kind", "code": "longterm", "name": "Long-term",
         "stage_control": "none", "stages": []},
        {"type": "user", "login": "ivanov", "name": "Ivanov I."},
        {"type": "user", "login": "petrova", "name": "Petrova A."},
        {"type": "partner", "id": "P1", "name": "Alpha Trade", "region": "MSK",
         "roles": ["client"], "manager": "ivanov"},
        {"type": "partner", "id": "P2", "name": "Beta Steel", "region": "SPB",
         "roles": ["client"], "manager": "petrova"},
        {"type": "contact", "id": "K1", "partner": "P1", "name": "Anna Lead"},
        {"type": "agreement", "id": "A1", "kind": "typical", "name": "Standard terms",
         "payment_schedule": [{"percent": 100, "days": 0}], "status": "active"},
        {"type": "agreement", "id": "A2", "kind": "individual", "name": "Alpha special",
         "partner": "P1", "payment_schedule": [{"percent": 100, "days": 10}],
         "status": "active"},
    ]

    def deal(key: str, name: str, partner: str, kind: str, manager: str, amount: str,
             stages: list[tuple[str, str]], status: str = "open") -> dict[str, Any]:
        return {"type": "deal", "id": key, "name": name, "partner": partner, "kind": kind,
                "manager": manager, "amount": amount, "created_at": "2026-01-02T09:00:00",
                "status": status,
                "stages": [{"stage": s, "at": at} for s, at in stages]}

    records += [
        deal("D1", "Pipes for Alpha", "P1", "typical", "ivanov", "1500000.00",
             [("lead", "2026-01-05T10:00:00")]),
        deal("D2", "Steel sheets", "P2", "typical", "petrova", "250000.50",
             [("lead", "2026-01-03T10:00:00"), ("qualify", "2026-01-04T10:00:00")]),
        deal("D3", "Final offer", "P1", "typical", "ivanov", "99.00",
             [("lead", "2026-01-03T10:00:00"), ("qualify", "2026-01-04T10:00:00"),
              ("proposal", "2026-01-10T10:00:00")]),
        deal("D4", "Project X", "P1", "project", "ivanov", "10.00",
             [("lead", "2026-01-03T10:00:00")]),
        deal("D5", "Yearly supply", "P2", "longterm", "ivanov", "5000.00", []),
    ]
    return records


def seed(db: Database, extra: list[dict[str, Any]] | None = None) -> None:
    """Import the small deal data set (and `extra` records after it)."""
    import_lines(db, [json.dumps(r) for r in _records() + (extra or [])])


def make_hostile(db: Database) -> None:
    """Give partner P1 and deal D1 names that try to be markup and a terminal escape
    (written directly: the importer rightly refuses control characters)."""
    from sqlalchemy import text

    with db.write() as session:
        session.execute(text("UPDATE partner SET name = :n WHERE key = 'P1'"), {"n": HOSTILE})
        session.execute(text("UPDATE deal SET name = :n WHERE key = 'D1'"), {"n": HOSTILE})
