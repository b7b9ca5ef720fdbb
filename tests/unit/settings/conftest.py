"""Fixtures for the settings area: a seeded database with partners and an administrator."""

from __future__ import annotations

import json

import pytest

from crm_tui.exchange.importer import import_lines
from crm_tui.exchange.seed import seed_classifiers
from crm_tui.store.database import Database
from crm_tui.store.users import ensure_current_user
from tests.support.login import set_login_for_tests

HOSTILE = "[/]x[@click=app.quit]y[/] \x1b]52;c;Zm9v\x07"


def lines(*records: dict[str, object]) -> list[str]:
    return [json.dumps(record, ensure_ascii=False) for record in records]


@pytest.fixture
def crm_db(db: Database, fixed_now: object) -> Database:
    """Seeded classifiers, three partners, two agreements, one deal; the admin is current."""
    seed_classifiers(db, "en")
    import_lines(db, lines(
        {"type": "user", "login": "boss", "name": "Boss"},
        {"type": "partner", "id": "P1", "name": "Alpha", "roles": ["client"], "region": "MSK"},
        {"type": "partner", "id": "P2", "name": "Beta", "roles": ["client"]},
        {"type": "partner", "id": "P3", "name": "Gamma [/]", "roles": ["client"]},
        {"type": "agreement", "id": "T1", "kind": "typical", "name": "Wholesale terms",
         "price_type": "wholesale", "payment_schedule": [{"percent": 50, "days": 0},
                                                         {"percent": 50, "days": 30}],
         "valid_from": "2025-01-01", "status": "active"},
        {"type": "agreement", "id": "I1", "kind": "individual", "name": "Alpha terms",
         "partner": "P1", "based_on": "T1", "price_type": "retail",
         "payment_schedule": [{"percent": 100, "days": 14}], "status": "active"},
        {"type": "deal", "id": "D1", "name": "Pipes", "partner": "P1", "kind": "typical",
         "manager": "boss", "amount": "100.00", "created_at": "2025-03-01T10:00",
         "status": "lost", "closed_at": "2025-03-05T10:00", "loss_reason": "price",
         "stages": [{"stage": "lead", "at": "2025-03-01T10:00"},
                    {"stage": "qualify", "at": "2025-03-02T10:00"}]},
    ))
    set_login_for_tests("admin")
    with db.write() as session:
        ensure_current_user(session)
    return db


def as_manager(db: Database) -> None:
    """Act as a manager (not an administrator)."""
    set_login_for_tests("manager1")
    with db.write() as session:
        ensure_current_user(session)
