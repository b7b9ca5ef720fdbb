"""Optimistic locking: the second of two concurrent saves is refused, nothing overwritten."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm_tui.domain.errors import ConflictError
from crm_tui.store.database import Database
from crm_tui.store.models import Partner
from crm_tui.store.versioning import update_versioned
from tests.unit.safety.data import load_base


def _load(db: Database) -> tuple[int, int, str]:
    with db.read() as session:
        row = session.execute(select(Partner).where(Partner.key == "P1")).scalar_one()
        assert row.id is not None
        return row.id, row.version, row.name


def test_two_sessions_second_save_conflicts(db: Database) -> None:
    load_base(db)
    other = Database.open(db.url)  # another user's session on the same file
    try:
        first_id, first_seen, _ = _load(db)
        _second_id, second_seen, _ = _load(other)
        with other.write() as session:
            assert update_versioned(session, "partner", first_id, second_seen,
                                    {"name": "Их правка"}) == second_seen + 1
        with pytest.raises(ConflictError), db.write() as session:
            update_versioned(session, "partner", first_id, first_seen, {"name": "Моя правка"})
        assert _load(db)[1:] == (first_seen + 1, "Их правка")
        # reload and re-apply: the save based on the new version goes through
        _id, seen, _ = _load(db)
        with db.write() as session:
            update_versioned(session, "partner", first_id, seen, {"name": "Моя правка"})
        assert _load(other)[1:] == (first_seen + 2, "Моя правка")
    finally:
        other.close()


def test_deleted_record_conflicts(db: Database) -> None:
    with db.write() as session:
        partner = Partner(key="P1", name="Alone")
        session.add(partner)
    record_id, seen, _ = _load(db)
    with db.write() as session:
        session.delete(session.get(Partner, record_id))
    with pytest.raises(ConflictError), db.write() as session:
        update_versioned(session, "partner", record_id, seen, {"name": "X"})
