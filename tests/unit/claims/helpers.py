"""Small hand-made datasets for claim tests (exchange JSON lines)."""

from __future__ import annotations

import json
from typing import Any

from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database

HOSTILE = "[/]Evil [@click=app.quit]x[/] \x1b]52;c;aGk=\x07"


def lines(*records: dict[str, Any]) -> list[str]:
    return [json.dumps(record, ensure_ascii=False) for record in records]


def base_records(partner_name: str = "Acme") -> list[dict[str, Any]]:
    return [
        {"type": "claim_reason", "code": "late", "name": "Late delivery"},
        {"type": "claim_reason", "code": "defect", "name": "Defect"},
        {"type": "user", "login": "ivanov", "name": "Ivanov"},
        {"type": "user", "login": "petrov", "name": "Petrov"},
        {"type": "partner", "id": "P1", "name": partner_name, "roles": ["client"],
         "manager": "ivanov"},
        {"type": "partner", "id": "P2", "name": "Beta", "roles": ["supplier"]},
    ]


def claim_record(key: str, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type": "claim", "id": key, "partner": "P1", "reason": "late",
        "registered_at": "2026-01-10T09:00", "description": "Goods late", "manager": "ivanov",
        "status": "open", "posted": False, "source": "list", "tasks": [],
    }
    record.update(extra)
    return record


def load(db: Database, *records: dict[str, Any], partner_name: str = "Acme") -> None:
    """Import the base records plus `records`; P1 gets `partner_name` (written directly, so
    it may hold control characters that the importer refuses)."""
    from sqlalchemy import text

    import_lines(db, lines(*base_records(), *records))
    with db.write() as session:
        session.execute(text("UPDATE partner SET name = :name WHERE key = 'P1'"),
                        {"name": partner_name})
