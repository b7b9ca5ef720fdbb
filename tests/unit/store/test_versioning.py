"""Optimistic locking for single and bulk updates."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from crm_tui.domain.errors import ConflictError
from crm_tui.store.database import Database
from crm_tui.store.versioning import update_versioned


def _partners(db: Database, count: int) -> dict[int, int]:
    with db.write() as session:
        for number in range(count):
            session.execute(text(
                "INSERT INTO partner (key, name, roles, version) VALUES (:k, :n, 1, 1)"),
                {"k": f"P{number}", "n": f"Партнер {number}"})
        rows = session.execute(text("SELECT id, version FROM partner")).all()
    return {row.id: row.version for row in rows}


def test_second_save_of_the_same_version_is_refused(db: Database) -> None:
    seen = _partners(db, 1)
    (record_id, version), = seen.items()
    with db.write() as session:
        update_versioned(session, "partner", record_id, version, {"name": "Первый"})
    with pytest.raises(ConflictError), db.write() as session:
        update_versioned(session, "partner", record_id, version, {"name": "Второй"})
    with db.read() as session:
        assert session.execute(text("SELECT name FROM partner")).scalar() == "Первый"
