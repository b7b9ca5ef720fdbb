"""Helpers for exchange tests: a valid base file and ways to break one line of it."""

from __future__ import annotations

import json
from typing import Any

from crm_tui.exchange.errors import ImportFailed
from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database

BASE: list[dict[str, Any]] = [
    {"type": "region", "code": "MSK", "name": "Москва"},
    {"type": "stage", "code": "lead", "name": "Интерес", "order": 10},
    {"type": "stage", "code": "offer", "name": "Предложение", "order": 20},
    {"type": "stage", "code": "contract", "name": "Договор", "order": 30},
    {"type": "partner_role", "code": "payer", "name": "Плательщик"},
    {"type": "contact_role", "code": "decider", "name": "ЛПР"},
    {"type": "demand_reason", "code": "stock", "name": "Нет на складе"},
    {"type": "loss_reason", "code": "price", "name": "Цена"},
    {"type": "claim_reason", "code": "late", "name": "Опоздание"},
    {"type": "price_type", "code": "retail", "name": "Розница"},
    {"type": "deal_kind", "code": "strict", "name": "Строгая", "stage_control": "strict",
     "stages": ["lead", "offer", "contract"]},
    {"type": "deal_kind", "code": "manual", "name": "Ручная", "stage_control": "manual",
     "stages": ["lead", "contract"]},
    {"type": "deal_kind", "code": "none", "name": "Без этапов", "stage_control": "none",
     "stages": []},
    {"type": "user", "login": "ivanov", "name": "Иванов"},
    {"type": "partner", "id": "P1", "name": "Альфа", "region": "MSK", "roles": ["client"],
     "manager": "ivanov"},
    {"type": "counterparty", "id": "C1", "partners": ["P1"], "inn": "7707083893",
     "kpp": "773601001", "ogrn": "1027700132195", "short_name": "ПАО Сбербанк",
     "full_name": "Публичное акционерное общество Сбербанк"},
    {"type": "contact", "id": "K1", "partner": "P1", "name": "Петров",
     "phones": ["8 (495) 210-15-47"], "emails": ["p@example.ru"]},
    {"type": "agreement", "id": "A1", "kind": "typical", "name": "Типовое",
     "payment_schedule": [{"percent": 100, "days": 0}], "status": "active"},
    {"type": "agreement", "id": "A2", "kind": "individual", "name": "Личное", "partner": "P1",
     "based_on": "A1", "payment_schedule": [{"percent": 50, "days": 0},
                                            {"percent": 50, "days": 30}],
     "valid_from": "2025-01-01", "valid_to": "2025-12-31", "status": "draft"},
    {"type": "deal", "id": "D1", "name": "Сделка", "partner": "P1", "kind": "strict",
     "manager": "ivanov", "amount": "100.50", "created_at": "2025-01-01T10:00",
     "status": "won", "closed_at": "2025-02-01T10:00:00",
     "stages": [{"stage": "lead", "at": "2025-01-01T10:00"},
                {"stage": "offer", "at": "2025-01-05T10:00"},
                {"stage": "contract", "at": "2025-01-10T10:00"}]},
    {"type": "claim", "id": "CL1", "partner": "P1", "reason": "late",
     "registered_at": "2025-03-01T09:00", "description": "Опоздали", "status": "open",
     "posted": False, "source": "list", "tasks": []},
    {"type": "interaction", "id": "I1", "kind": "call", "topic": "Звонок",
     "at": "2025-03-02T10:00", "end": "2025-03-02T10:30", "status": "done", "partner": "P1",
     "subject": {"claim": "CL1"}, "direction": "incoming"},
]
INDEX = {(record["type"], record.get("id") or record.get("code") or record.get("login")): n
         for n, record in enumerate(BASE)}


def lines(records: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(record, ensure_ascii=False) for record in records]


def base_with(kind: str, key: str, /, **changes: Any) -> tuple[list[str], int]:
    """The base file with one record changed (a value of None removes the field);
    returns the lines and the changed record's line number."""
    records = [dict(record) for record in BASE]
    position = INDEX[(kind, key)]
    for name, value in changes.items():
        if value is None:
            records[position].pop(name, None)
        else:
            records[position][name] = value
    return lines(records), position + 1


def problems_of(db: Database, file_lines: list[str]) -> list[tuple[int, str]]:
    """The problems importing `file_lines` reports (the import must fail)."""
    try:
        import_lines(db, file_lines)
    except ImportFailed as failure:
        return failure.problems
    raise AssertionError("the import did not fail")


def count_rows(db: Database) -> dict[str, int]:
    """Rows per table (to check that a failed import wrote nothing)."""
    from sqlalchemy import text

    with db.read() as session:
        names = [row[0] for row in session.execute(text(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version'"))]
        # FTS5 shadow tables (partner_search_data, _idx, …) reorganise themselves on every
        # write; the search table itself is counted.
        names = [name for name in names if not name.startswith("partner_search_")]
        return {name: session.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()
                for name in names}
