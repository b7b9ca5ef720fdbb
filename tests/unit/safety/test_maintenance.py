"""store.maintenance: consistent backups and every check of `crm check`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from crm_tui.store.database import Database
from crm_tui.store.maintenance import BackupError, backup, check
from tests.unit.safety.data import load_base


@pytest.fixture
def base_db(db: Database) -> Database:
    load_base(db)
    return db


def _checks(db: Database) -> set[str]:
    return {problem.check for problem in check(db.engine)}


def _sql(db: Database, statement: str) -> None:
    """Break the data behind the app's back (foreign keys off, like a damaged file)."""
    with db.engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute(statement)
        raw.execute("PRAGMA foreign_keys = ON")


def test_sound_database_has_no_problems(base_db: Database) -> None:
    assert check(base_db.engine) == []


def test_spec_example_is_sound(small_db: Database) -> None:
    assert check(small_db.engine) == []


def test_backup_is_a_complete_sound_copy(base_db: Database, tmp_path: Path) -> None:
    target = backup(base_db.engine, tmp_path / "copy.sqlite3")
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT name FROM partner WHERE key = 'P1'").fetchone()[0] == "Альфа"
    finally:
        copy.close()
    restored = Database.open(f"sqlite:///{target}")
    assert check(restored.engine) == []
    restored.close()
    assert not list(tmp_path.glob(".*.partial"))


def test_backup_refuses_existing_file_and_the_database_itself(base_db: Database,
                                                              tmp_path: Path) -> None:
    existing = tmp_path / "exists.sqlite3"
    existing.write_text("keep me")
    with pytest.raises(BackupError, match="already exists"):
        backup(base_db.engine, existing)
    assert existing.read_text() == "keep me"
    backup(base_db.engine, existing, overwrite=True)
    assert existing.read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(BackupError):
        backup(base_db.engine, tmp_path / "test.sqlite3", overwrite=True)
    with pytest.raises(BackupError, match="does not exist"):
        backup(base_db.engine, tmp_path / "missing" / "x.sqlite3")


def test_foreign_key_problem(base_db: Database) -> None:
    _sql(base_db, "UPDATE deal SET partner_id = 999999 WHERE key = 'D1'")
    assert "foreign-key" in _checks(base_db)


def test_stage_differs_from_history(base_db: Database) -> None:
    _sql(base_db, "UPDATE deal SET stage_at = '2030-01-01 00:00:00.000000' WHERE key = 'D1'")
    problems = check(base_db.engine)
    assert [p.check for p in problems] == ["deals"]
    assert "D1" in problems[0].message


def test_stage_without_history(base_db: Database) -> None:
    _sql(base_db, "DELETE FROM deal_stage_entry")
    assert _checks(base_db) == {"deals"}


def test_closed_at_only_for_closed_deals(base_db: Database) -> None:
    _sql(base_db, "UPDATE deal SET closed_at = NULL WHERE key = 'D1'")
    assert _checks(base_db) == {"deals"}


def test_open_deal_with_closed_at(base_db: Database) -> None:
    _sql(base_db, "UPDATE deal SET status = 'open' WHERE key = 'D1'")
    assert _checks(base_db) == {"deals"}


def test_posted_claim_must_not_be_open(base_db: Database) -> None:
    _sql(base_db, "UPDATE claim SET posted = 1 WHERE key = 'CL1'")
    assert _checks(base_db) == {"claims"}


def test_payment_schedule_sums_to_100(base_db: Database) -> None:
    _sql(base_db, "UPDATE agreement_payment SET percent = 40 WHERE line_no = 1 AND "
                  "agreement_id = (SELECT id FROM agreement WHERE key = 'A2')")
    problems = check(base_db.engine)
    assert [p.check for p in problems] == ["agreements"]
    assert "A2" in problems[0].message


def test_interaction_with_two_subjects(base_db: Database) -> None:
    _sql(base_db, "UPDATE interaction SET subject_deal_id = (SELECT id FROM deal LIMIT 1)")
    assert _checks(base_db) == {"interactions"}


def test_empty_key(base_db: Database) -> None:
    _sql(base_db, "UPDATE partner SET key = ' ' WHERE key = 'P1'")
    assert _checks(base_db) == {"keys"}


def test_bad_version(base_db: Database) -> None:
    _sql(base_db, "UPDATE claim SET version = 0")
    assert _checks(base_db) == {"versions"}


def test_attachment_checksum_and_size(db: Database) -> None:
    from crm_tui.exchange.importer import import_lines
    from tests.unit.safety.data import lines, records

    items = records()
    claim = next(item for item in items if item["type"] == "claim")
    claim["attachments"] = [{"name": "act.txt", "content_base64": "aGVsbG8="}]
    import_lines(db, lines(items))
    assert check(db.engine) == []
    _sql(db, "UPDATE attachment SET content = X'00'")
    assert _checks(db) == {"attachments"}
    _sql(db, "UPDATE attachment SET content = CAST('hello' AS BLOB), size = 4")
    assert _checks(db) == {"attachments"}


def test_check_reports_damaged_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "damaged.sqlite3"
    db = Database.open(f"sqlite:///{path}")
    load_base(db)
    with db.write() as session:
        session.execute(text("INSERT INTO setting VALUES ('x', :v)"), {"v": "y" * 200_000})
    db.close()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 40), page):
        data[offset + 8: offset + 60] = b"\xff" * 52  # trash the b-tree page headers
    path.write_bytes(bytes(data))
    from crm_tui.cli.main import main

    assert main(["--db", str(path), "check"]) == 1  # a message, never a traceback
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "crm:" in captured.err or "integrity" in captured.out
