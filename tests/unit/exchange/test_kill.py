"""Killing an import midway (SIGKILL) leaves the database exactly as it was."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crm_tui.exchange.demo import SIZES, generate
from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database
from tests.unit.exchange.helpers import BASE, lines

REPO = Path(__file__).resolve().parents[3]


def _content(path: Path) -> list[tuple[str, int]]:
    connection = sqlite3.connect(path)
    try:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return [(table, connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])
                for table in tables]
    finally:
        connection.close()


@pytest.mark.slow
def test_sigkill_during_import_changes_nothing(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SIZES, "small", (3000, 9000, 18000, 1000))
    big = tmp_path / "big.jsonl"
    with big.open("w", encoding="utf-8") as handle:
        for record in generate("small", 7):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    path = tmp_path / "kill.sqlite3"
    db = Database.open(f"sqlite:///{path}")
    import_lines(db, lines(BASE))
    db.close()
    before = _content(path)
    process = subprocess.Popen(
        [sys.executable, "-m", "crm_tui", "--db", str(path), "import", str(big)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    time.sleep(1.5)
    assert process.poll() is None, "the import finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert _content(path) == before
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        connection.close()
