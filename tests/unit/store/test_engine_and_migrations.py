"""Engine rules (WAL, foreign keys, BEGIN IMMEDIATE for writers) and the migration chain."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import event, text

from crm_tui.domain.errors import BusyError
from crm_tui.store import engine as engine_module
from crm_tui.store.database import Database
from crm_tui.store.engine import make_engine
from crm_tui.store.migrate import alembic_config, current_revision, ensure_schema, head_revision


def test_sqlite_connection_settings(db: Database) -> None:
    with db.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert session.execute(text("PRAGMA cache_size")).scalar() == -1024  # KiB


def test_reads_one_after_another_reuse_the_connection_used_last(db: Database) -> None:
    """Its page and statement caches are warm; taken in turns, each read found a colder
    one."""
    with db.read_plain() as first:
        with db.read_plain() as second:  # two connections in the pool
            second.exec_driver_sql("SELECT 1")
        first.exec_driver_sql("SELECT 1")
        last = first.connection.dbapi_connection  # returned last
    used = []
    for _ in range(4):
        with db.read() as session:
            session.execute(text("SELECT 1"))
            used.append(session.connection().connection.dbapi_connection)
    assert used == [last] * 4


def test_writers_begin_immediate_and_readers_deferred(db: Database) -> None:
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *args: statements.append(statement))
    with db.write() as session:
        session.execute(text("SELECT 1"))
    with db.read() as session:
        session.execute(text("SELECT 1"))
    assert statements[0] == "BEGIN IMMEDIATE"
    assert "BEGIN" in statements[2:]


def test_a_lock_held_too_long_becomes_busy_error(db: Database, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(db.engine.url.database)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 100)
    quick = Database(url=db.url, engine=make_engine(db.url))
    quick.engine.dispose()
    try:
        with (pytest.raises(BusyError) as raised, quick.write() as session):
            session.execute(text("PRAGMA busy_timeout = 100"))
            session.execute(text(
                "INSERT INTO app_user (login, name, role) VALUES ('x', 'x', 'manager')"))
        assert "try again" in str(raised.value)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_exactly_one_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert heads == [head_revision()]


def test_new_database_is_created_at_head(db: Database) -> None:
    assert current_revision(db.engine) == head_revision()
    assert ensure_schema(db.engine) is False


def test_first_revision_upgrades_through_every_later_one(tmp_path: Path) -> None:
    """A database made by the first migration, with data, upgrades step by step to head."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    with engine.connect() as connection:
        connection = connection.execution_options(crm_write=True)
        with connection.begin():
            command.upgrade(alembic_config(connection), revisions[0])
        with connection.begin():
            connection.execute(text(
                "INSERT INTO app_user (login, name, role) VALUES ('ivanov', 'Иванов', 'manager')"))
            connection.execute(text(
                "INSERT INTO partner (key, name, roles, version) VALUES ('P1', 'Ромашка', 1, 1)"))
    for revision in revisions[1:]:
        with engine.connect() as connection:
            connection = connection.execution_options(crm_write=True)
            with connection.begin():
                command.upgrade(alembic_config(connection), revision)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM partner")).scalar() == "Ромашка"
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_concurrent_writers_lose_no_update(db: Database) -> None:
    """Threads doing read-modify-write on one row: BEGIN IMMEDIATE serialises them."""
    with db.write() as session:
        session.execute(text("INSERT INTO setting (key, value) VALUES ('counter', '0')"))
    errors: list[BaseException] = []

    def bump(times: int) -> None:
        local = Database(url=db.url, engine=make_engine(db.url))
        try:
            for _ in range(times):
                with local.write() as session:
                    value = int(session.execute(
                        text("SELECT value FROM setting WHERE key='counter'")).scalar_one())
                    session.execute(text("UPDATE setting SET value=:v WHERE key='counter'"),
                                    {"v": str(value + 1)})
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            local.close()

    threads = [threading.Thread(target=bump, args=(50,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db.read() as session:
        counter = session.execute(text("SELECT value FROM setting WHERE key='counter'"))
        assert counter.scalar() == "200"


def test_scanned_head_agrees_with_alembic() -> None:
    from crm_tui.store.migrate import scanned_head

    assert scanned_head() == head_revision()
