"""A command that finds the database busy with another writer says so in one line and exits
non-zero; no traceback (seen: `crm demo` while another `crm demo` wrote the same file)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crm_tui.cli.main import main
from crm_tui.store import engine as engine_module
from crm_tui.store.database import Database


def test_a_busy_database_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "busy.sqlite3"
    Database.open(f"sqlite:///{path}").close()
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 100)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        code = main(["demo", "--db", str(path), "--lang", "en"])
    finally:
        other.execute("ROLLBACK")
        other.close()
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("crm: ") and "busy" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
