"""Helpers for the partners Pilot tests: a small database with hostile names."""

from __future__ import annotations

import json
from typing import Any

import pytest

from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database
from tests.support.screen import settle, wait_for_database

HOSTILE = "[@click=app.quit]x[/] \x1b]52;c;YQ==\x07 [/]"

LINES: list[dict[str, Any]] = [
    {"type": "region", "code": "MSK", "name": "Москва"},
    {"type": "user", "login": "ivanov", "name": "Иванов И. И."},
    {"type": "partner", "id": "P1", "name": "Ромашка", "region": "MSK", "roles": ["client"],
     "manager": "ivanov"},
    {"type": "partner", "id": "P2", "name": "Артём и партнёры", "roles": ["supplier"]},
    {"type": "partner", "id": "P3", "name": "[/]", "roles": ["other"]},
    {"type": "counterparty", "id": "C1", "partners": ["P1"], "inn": "7707083893",
     "short_name": "ООО Ромашка", "full_name": "Общество Ромашка", "kpp": "773601001"},
    {"type": "contact", "id": "K1", "partner": "P2", "name": "Пётр",
     "phones": ["+79161234567"], "emails": ["petr@artem.example"]},
]


@pytest.fixture
def partners_db(db_url: str) -> str:
    database = Database.open(db_url)
    lines = list(LINES)
    import_lines(database, [json.dumps(line, ensure_ascii=False) for line in lines])
    database.close()
    return db_url


async def wait_db(app: Any, pilot: Any) -> None:
    """Wait until the app's database is open, then for the first screen's workers."""
    await wait_for_database(pilot)
    await settle(pilot)
