"""Optimistic locking for single and bulk updates."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from crm_tui.domain.errors import ConflictError
from crm_tui.store.database import Database
from crm_tui.store.versioning import update_versioned, update_versioned_many


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


def test_bulk_update_is_all_or_nothing_on_a_stale_row(db: Database) -> None:
    seen = _partners(db, 3)
    first = next(iter(seen))
    with db.write() as session:
        update_versioned(session, "partner", first, seen[first], {"comment": "чужая правка"})
    with pytest.raises(ConflictError) as raised, db.write() as session:
        update_versioned_many(session, "partner", seen, {"comment": "массово"})
    assert "1 of the records" in str(raised.value)
    with db.read() as session:
        comments = session.execute(text("SELECT comment FROM partner ORDER BY id")).scalars()
        assert list(comments) == ["чужая правка", None, None]


def test_bulk_update_bumps_every_version(db: Database) -> None:
    seen = _partners(db, 3)
    with db.write() as session:
        new = update_versioned_many(session, "partner", seen, {"comment": "массово"})
    assert all(new[record_id] == version + 1 for record_id, version in seen.items())
