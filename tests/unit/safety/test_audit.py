"""The change history: a row for every kind of write, none after a rollback."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select
from sqlmodel import Session

from crm_tui.exchange.importer import import_lines
from crm_tui.store import audit
from crm_tui.store.database import Database
from crm_tui.store.keys import next_key
from crm_tui.store.models import ChangeLog, Claim, Partner
from crm_tui.store.versioning import update_versioned
from tests.support.login import set_login_for_tests
from tests.unit.safety.data import lines, load_base, records


def _log_count(db: Database) -> int:
    with db.read() as session:
        return int(session.execute(select(func.count()).select_from(ChangeLog)).scalar_one())


def _claim(session: Session, key: str) -> Claim:
    return session.execute(select(Claim).where(Claim.key == key)).scalar_one()


def test_every_kind_of_write_is_recorded(db: Database, fixed_now: object) -> None:
    set_login_for_tests("auditor")
    import_lines(db, lines(records()))
    with db.write() as session:  # insert
        key = next_key(session, "partner")
        session.add(Partner(key=key, name="Бета"))
        audit.record(session, "partner", key, "insert", {"name": (None, "Бета")})
    with db.write() as session:  # update
        partner = session.execute(select(Partner).where(Partner.key == key)).scalar_one()
        assert partner.id is not None
        update_versioned(session, "partner", partner.id, partner.version, {"name": "Гамма"})
        audit.record(session, "partner", key, "update", {"name": ("Бета", "Гамма"),
                                                         "region": (None, None)})
    with db.write() as session:  # post
        claim = _claim(session, "CL1")
        assert claim.id is not None
        update_versioned(session, "claim", claim.id, claim.version,
                         {"status": "satisfied", "posted": True})
        audit.record(session, "claim", "CL1", "post", {"status": ("open", "satisfied")})
    with db.write() as session:  # unpost
        claim = _claim(session, "CL1")
        assert claim.id is not None
        update_versioned(session, "claim", claim.id, claim.version, {"posted": False})
        audit.record(session, "claim", "CL1", "unpost")
    with db.write() as session:  # delete
        session.execute(delete(Partner).where(Partner.key == key))
        audit.record(session, "partner", key, "delete")
    with db.read() as session:
        rows = session.execute(select(ChangeLog).order_by(ChangeLog.id)).scalars().all()
        history = audit.history(session, "partner", key)
    assert [row.action for row in rows] == ["import", "insert", "update", "post", "unpost",
                                            "delete"]
    assert {row.user_login for row in rows} == {"auditor"}
    assert {row.at for row in rows} == {fixed_now}
    # unchanged fields write no row; the newest change comes first
    assert [(h.action, h.field, h.old, h.new) for h in history] == [
        ("delete", None, None, None), ("update", "name", "Бета", "Гамма"),
        ("insert", "name", None, "Бета")]


def test_nothing_recorded_after_rollback(db: Database) -> None:
    load_base(db)
    before = _log_count(db)
    with pytest.raises(RuntimeError), db.write() as session:
        partner = session.execute(select(Partner).where(Partner.key == "P1")).scalar_one()
        assert partner.id is not None
        update_versioned(session, "partner", partner.id, partner.version, {"name": "X"})
        audit.record(session, "partner", "P1", "update", {"name": ("Альфа", "X")})
        session.flush()
        raise RuntimeError("the save failed halfway")
    assert _log_count(db) == before
    with db.read() as session:
        assert session.execute(select(Partner.name).where(Partner.key == "P1")).scalar_one() \
            == "Альфа"


def test_failed_import_records_nothing(db: Database) -> None:
    from crm_tui.exchange.errors import ImportFailed

    load_base(db)
    before = _log_count(db)
    with pytest.raises(ImportFailed):
        import_lines(db, ['{"type": "partner", "id": "P9", "name": ""}'])
    assert _log_count(db) == before


def test_real_os_account_not_user_variable(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from crm_tui.store.users import current_login, os_login

    monkeypatch.setenv("USER", "somebody-else")
    monkeypatch.setenv("LOGNAME", "somebody-else")
    assert current_login() == os_login() != "somebody-else"
    with db.write() as session:
        audit.record(session, "partner", "P1", "update", {"name": ("a", "b")})
    with db.read() as session:
        assert audit.history(session, "partner", "P1")[0].user == os_login()
