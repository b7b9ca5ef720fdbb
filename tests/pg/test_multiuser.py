"""Several processes changing the same rows at once lose no update, on both backends.

Writers need no special query for this: every `db.write()` takes the database's writer
lock first (SQLite `BEGIN IMMEDIATE`, PostgreSQL `pg_advisory_xact_lock`), so the read
and the write of a read-modify-write cycle never interleave with another process's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from crm_tui.store.database import Database
from tests.conftest import REPO_ROOT

PROCESSES = 4
CYCLES = 200


def _run_users(url: str) -> list[str]:
    worker = Path(__file__).with_name("multiuser_worker.py")
    procs = [
        subprocess.Popen([sys.executable, str(worker), url, str(CYCLES)], cwd=REPO_ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(PROCESSES)
    ]
    keys: list[str] = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        keys += out.split()
    return keys


def _check(database: Database) -> None:
    with database.write() as session:
        session.execute(text("INSERT INTO setting(key, value) VALUES ('counter', '0')"))
    keys = _run_users(database.url)
    assert len(keys) == PROCESSES * CYCLES
    assert len(set(keys)) == len(keys)  # next_key never handed out a key twice
    with database.read() as session:
        counter = session.execute(
            text("SELECT value FROM setting WHERE key = 'counter'")).scalar_one()
        partners = session.execute(text("SELECT count(*) FROM partner")).scalar_one()
    assert int(counter) == PROCESSES * CYCLES  # zero lost updates
    assert partners == PROCESSES * CYCLES


def test_no_lost_updates_on_postgresql(pg_db: Database) -> None:
    _check(pg_db)


def test_no_lost_updates_on_sqlite(db: Database) -> None:
    _check(db)
