"""Several processes on one database: no lost update, no error, no partial document,
a consistent backup while others write."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from crm_tui.cli.main import main as crm
from crm_tui.store.database import Database
from crm_tui.store.maintenance import backup, check
from crm_tui.store.models import ChangeLog, Partner
from tests.stress.writer import TASKS
from tests.unit.safety.data import load_base

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _spawn(url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.stress.writer", url, *args],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def _wait_ready(process: subprocess.Popen[str], timeout: float = 60) -> None:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    line = ""
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.strip() == "ready" or not line:
            break
    assert line.strip() == "ready", f"writer did not start: {line!r}"


def _complete_documents(path: Path) -> tuple[int, list[tuple[str, int]]]:
    """(claims, claims whose task count is not TASKS) read with plain sqlite3."""
    connection = sqlite3.connect(path, timeout=30)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        claims = connection.execute("SELECT count(*) FROM claim").fetchone()[0]
        partial = connection.execute(
            "SELECT c.key, count(t.id) FROM claim AS c LEFT JOIN claim_task AS t "
            "ON t.claim_id = c.id WHERE c.key LIKE 'CL-%' GROUP BY c.id "
            "HAVING count(t.id) != ?", (TASKS,)).fetchall()
        audited = connection.execute(
            "SELECT count(*) FROM claim AS c WHERE c.key LIKE 'CL-%' AND NOT EXISTS "
            "(SELECT 1 FROM change_log AS l WHERE l.entity = 'claim' "
            "AND l.record_key = c.key)").fetchone()[0]
        assert audited == 0, "a claim without its audit row"
        return claims, partial
    finally:
        connection.close()


def test_four_processes_lose_no_update(db: Database) -> None:
    load_base(db)
    processes = [_spawn(db.url, "counter", "500") for _ in range(4)]
    outputs = []
    for process in processes:
        out, _ = process.communicate(timeout=600)
        outputs.append(out)
        assert process.returncode == 0, out
    assert all("error" not in out for out in outputs), outputs
    with db.read() as session:
        partner = session.execute(select(Partner).where(Partner.key == "P1")).scalar_one()
        updates = session.execute(select(func.count()).select_from(ChangeLog)
                                  .where(ChangeLog.entity == "partner")).scalar_one()
    assert partner.comment == "2000"
    assert partner.version == 2001
    assert updates == 2000
    assert check(db.engine) == []


def _forked_claims_writer(url: str, ready: Any) -> None:
    """In a forked child (imports already loaded, so a round starts fast): open a new
    Database of its own and save big documents until killed."""
    from tests.stress.writer import claims

    database = Database.open(url)
    ready.set()
    claims(database, 0)


def test_sigkill_during_saves_leaves_no_partial_document(db: Database) -> None:
    load_base(db)
    db.engine.dispose()  # no open connection is inherited by the forked writers
    path = Path(db.url.removeprefix("sqlite:///"))
    context = multiprocessing.get_context("fork")
    rng = random.Random(10)
    total = 0
    for _round in range(20):
        ready = context.Event()
        process = context.Process(target=_forked_claims_writer, args=(db.url, ready))
        process.start()
        assert ready.wait(timeout=60), "the writer did not start"
        time.sleep(rng.uniform(0.05, 0.5))
        assert process.pid is not None and process.is_alive()
        os.kill(process.pid, signal.SIGKILL)
        process.join(timeout=60)
        claims, partial = _complete_documents(path)
        assert partial == []
        assert claims >= total
        total = claims
    assert total > 1, "the writer never committed: the test proved nothing"
    assert check(db.engine) == []


def test_backup_during_concurrent_writes_passes_check(db: Database, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    load_base(db)
    writers = [_spawn(db.url, "claims", "0") for _ in range(2)]
    counter = _spawn(db.url, "counter", "100000")
    try:
        for writer in [*writers, counter]:
            _wait_ready(writer)
        time.sleep(0.5)
        copies = []
        for number in range(3):
            copies.append(backup(db.engine, tmp_path / f"copy{number}.sqlite3"))
            time.sleep(0.3)
        assert crm(["--db", db.url.removeprefix("sqlite:///"), "backup",
                    str(tmp_path / "cli.sqlite3")]) == 0
        copies.append(tmp_path / "cli.sqlite3")
    finally:
        for process in [*writers, counter]:
            process.kill()
            process.wait(timeout=60)
    capsys.readouterr()
    sizes = []
    for copy in copies:
        assert crm(["--db", str(copy), "check"]) == 0, capsys.readouterr()
        assert "the database is sound" in capsys.readouterr().out
        claims, partial = _complete_documents(copy)
        assert partial == []
        sizes.append(claims)
    assert sizes == sorted(sizes)
    assert sizes[-1] > sizes[0] or sizes[-1] > 1, "nothing was written during the backups"
