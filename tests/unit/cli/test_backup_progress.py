"""`crm backup` copies in steps with SQLite's backup API and shows pages copied on a
terminal; big reports show they are working; nothing more when stderr is no terminal
(issue 24 §2)."""

from __future__ import annotations

import json
import math
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crm_tui.store import maintenance
from crm_tui.store.database import Database
from crm_tui.store.maintenance import backup, check
from tests.unit.cli.test_progress import crm, run_on_terminal


def _path(db: Database) -> str:
    return db.url.removeprefix("sqlite:///")


def test_backup_copies_in_steps_from_one_snapshot(small_db: Database, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Each step is told; a commit made by another connection between two steps neither
    restarts the copy nor gets into it: the copy is the database as the backup began."""
    monkeypatch.setattr(maintenance, "BACKUP_STEP_PAGES", 8)
    steps: list[tuple[int, int]] = []

    def told(copied: int, total: int) -> None:
        if not steps:  # another session commits while the copy is under way
            other = sqlite3.connect(_path(small_db))
            other.execute("CREATE TABLE written_meanwhile (x)")
            other.commit()
            other.close()
        steps.append((copied, total))

    folder = tmp_path / "out"
    folder.mkdir()
    target = backup(small_db.engine, folder / "copy.sqlite3", progress=told)
    assert sorted(p.name for p in folder.iterdir()) == ["copy.sqlite3"]  # nothing beside
    total = steps[0][1]
    assert total > 8 * 3
    assert len(steps) == math.ceil(total / 8)  # never started again
    assert [copied for copied, _ in steps] == sorted(copied for copied, _ in steps)
    assert steps[-1] == (total, total)
    copy = sqlite3.connect(target)
    tables = {name for (name,) in copy.execute("SELECT name FROM sqlite_master")}
    copy.close()
    assert "partner" in tables and "written_meanwhile" not in tables
    copied = Database.open(f"sqlite:///{target}", read_only=True)
    try:
        assert check(copied.engine) == []
    finally:
        copied.close()


def test_backup_progress_on_a_terminal(small_db: Database, tmp_path: Path) -> None:
    target = tmp_path / "copy.sqlite3"
    status, stdout, terminal = run_on_terminal(crm("--db", _path(small_db), "backup",
                                                   str(target)))
    assert status == 0
    assert "backup written to" in stdout  # the result still goes to stdout, undisturbed
    assert "Backing up" in terminal
    assert " pages, " in terminal and " per second" in terminal
    assert target.stat().st_size > 0


def test_backup_says_nothing_more_when_stderr_is_no_terminal(small_db: Database,
                                                            tmp_path: Path) -> None:
    result = subprocess.run(crm("--db", _path(small_db), "backup", str(tmp_path / "c.db")),
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("backup written to")


def _long_report(db: Database) -> list[str]:
    """`crm report event-calendar --format json`, its computation (on SQLite: the plain
    sqlite3 way) made to take 2 seconds (as on a large office's database)."""
    program = (
        "import sys, time\n"
        "from crm_tui.reports import registry\n"
        "computed = registry.compute_on_sqlite\n"
        "registry.compute_on_sqlite = lambda *args: (time.sleep(2), computed(*args))[1]\n"
        "from crm_tui.cli.main import main\n"
        f"sys.exit(main(['--lang', 'en', '--db', {_path(db)!r}, 'report', 'event-calendar',"
        " '--format', 'json', '--now', '2026-12-03T12:00']))\n"
    )
    return [sys.executable, "-c", program]


def test_a_long_report_shows_it_is_working_on_a_terminal(small_db: Database) -> None:
    status, stdout, terminal = run_on_terminal(_long_report(small_db))
    assert status == 0
    assert json.loads(stdout)["report"] == "event-calendar"
    assert "Computing the report" in terminal


def test_a_report_says_nothing_more_when_stderr_is_no_terminal(small_db: Database) -> None:
    result = subprocess.run(_long_report(small_db), capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout)["report"] == "event-calendar"
