"""Small hand-made data for the interaction tests (exchange-format JSON lines)."""

from __future__ import annotations

import json
from typing import Any

from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database
from tests.support.login import set_login_for_tests

HOSTILE = "[/]x[@click=app.quit]q[/] \x1b]52;c;aGk=\x07"
SAFE_HOSTILE = "[/]x[@click=app.quit]q[/]"

BASE: list[dict[str, Any]] = [
    {"type": "stage", "code": "lead", "name": "Lead", "order": 10},
    {"type": "claim_reason", "code": "late", "name": "Late"},
    {"type": "deal_kind", "code": "typical", "name": "Typical", "stage_control": "none",
     "stages": []},
    {"type": "user", "login": "boss", "name": "Boss Admin"},
    {"type": "user", "login": "ivanov", "name": "Ivanov I."},
    {"type": "user", "login": "petrova", "name": "Petrova P."},
    {"type": "partner", "id": "P1", "name": "Alpha Trade", "roles": ["client"],
     "manager": "ivanov"},
    {"type": "partner", "id": "P2", "name": SAFE_HOSTILE, "roles": ["client"],
     "manager": "petrova"},
    {"type": "contact", "id": "K1", "partner": "P1", "name": "Anna Contact"},
    {"type": "deal", "id": "D1", "name": "Big deal", "partner": "P1", "kind": "typical",
     "manager": "ivanov", "amount": "100.00", "created_at": "2026-01-01T10:00:00",
     "status": "open", "stages": []},
    {"type": "claim", "id": "CL1", "partner": "P1", "reason": "late",
     "registered_at": "2026-01-02T10:00:00", "description": "Late delivery",
     "manager": "ivanov", "status": "open", "posted": False, "source": "list", "tasks": []},
]


def interaction(key: str, at: str, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"type": "interaction", "id": key, "kind": "call",
                              "topic": f"Topic {key}", "at": at, "status": "in_progress",
                              "partner": "P1", "manager": "ivanov"}
    record.update(extra)
    return record


def load(db: Database, *records: dict[str, Any]) -> None:
    """Import BASE plus `records`; act as the admin 'boss' (first user)."""
    import_lines(db, [json.dumps(r, ensure_ascii=False) for r in [*BASE, *records]])
    set_login_for_tests("boss")
    from sqlmodel import select

    from crm_tui.store.models import User
    with db.write() as session:
        user = session.exec(select(User).where(User.login == "boss")).one()
        user.role = "admin"
        session.add(user)
