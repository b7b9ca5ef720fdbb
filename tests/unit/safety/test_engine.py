"""The engine's locking rules: BEGIN IMMEDIATE for writers, BusyError instead of
"database is locked", readers never blocked, change watching."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from crm_tui.domain.errors import BusyError
from crm_tui.store import engine as engine_module
from crm_tui.store.database import Database
from crm_tui.store.watch import ChangeWatcher


def _path(db: Database) -> str:
    path = engine_module.sqlite_path(db.url)
    assert path is not None
    return path


def test_connection_settings(db: Database) -> None:
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == \
            engine_module.BUSY_TIMEOUT_MS


def test_writer_takes_the_lock_at_begin(db: Database) -> None:
    with db.write():
        other = sqlite3.connect(_path(db), timeout=0.05, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()


def test_locked_database_is_busy_error_not_traceback(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)
    db = Database.open(f"sqlite:///{tmp_path / 'busy.sqlite3'}")
    holder = sqlite3.connect(_path(db), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(BusyError) as caught, db.write() as session:
            session.execute(text("INSERT INTO setting VALUES ('a', '1')"))
        assert "busy" in str(caught.value) and "try again" in str(caught.value)
        assert time.monotonic() - started < 5
        with db.read() as session:  # readers go on under WAL
            assert session.execute(text("SELECT count(*) FROM setting")).scalar() == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with db.write() as session:
        session.execute(text("INSERT INTO setting VALUES ('a', '1')"))
    db.close()


def test_busy_error_detection() -> None:
    assert engine_module.is_busy_error(sqlite3.OperationalError("database is locked"))
    assert not engine_module.is_busy_error(sqlite3.OperationalError("no such table: x"))


def test_watcher_sees_other_sessions(db: Database) -> None:
    watcher = ChangeWatcher(db.engine)
    other = Database.open(db.url)
    try:
        assert watcher.changed() is False
        assert watcher.changed() is False
        with other.write() as session:
            session.execute(text("INSERT INTO setting VALUES ('w', '1')"))
        assert watcher.changed() is True
        assert watcher.changed() is False
    finally:
        watcher.close()
        other.close()


def test_setgid_folder_makes_group_writable_files(tmp_path: Path) -> None:
    import os
    import stat

    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o2770)
    previous = os.umask(0o022)
    try:
        db = Database.open(f"sqlite:///{shared / 'crm.sqlite3'}")
        with db.write() as session:
            session.execute(text("INSERT INTO setting VALUES ('g', '1')"))
        mode = stat.S_IMODE(os.stat(shared / "crm.sqlite3").st_mode)
        wal = shared / "crm.sqlite3-wal"
        db.close()
    finally:
        os.umask(previous)
    assert mode & 0o060 == 0o060
    if wal.exists():
        assert stat.S_IMODE(os.stat(wal).st_mode) & 0o060 == 0o060
