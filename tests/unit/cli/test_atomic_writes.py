"""Files the command line writes are whole or untouched: a write that fails part-way (the
disk fills up after some rows) leaves yesterday's file byte for byte, no temporary file,
one line on stderr and a non-zero exit; a killed export leaves the old file too."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crm_tui import atomic
from crm_tui.cli.main import main
from crm_tui.store.database import Database

YESTERDAY = b"yesterday's good file\n" * 50


class FullDisk:
    """A text file that accepts `budget` characters, then fails as a full disk does."""

    def __init__(self, handle: Any, budget: int) -> None:
        self._handle, self._budget = handle, budget

    def write(self, text: str) -> int:
        if len(text) > self._budget:
            self._handle.write(text[:self._budget])
            self._handle.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._budget -= len(text)
        return int(self._handle.write(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every text file crm_tui.atomic opens fills up after 300 characters."""
    def opener(path: Any, mode: str = "r", **kwargs: Any) -> Any:
        return FullDisk(open(path, mode, **kwargs), 300)
    monkeypatch.setattr(atomic, "open", opener, raising=False)


@pytest.fixture
def target(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def check_untouched(path: Path, status: int, err: str) -> None:
    assert status != 0
    assert path.read_bytes() == YESTERDAY
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no .partial left
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("crm: cannot write "), err
    assert "No space left on device" in lines[0]


COMMANDS = {
    "export": (["export"], "all.jsonl"),
    "export-csv": (["export-csv", "partners"], "partners.csv"),
    "report-csv": (["report", "funnel", "--format", "csv", "--output"], "funnel.csv"),
    "report-json": (["report", "funnel", "--format", "json", "--output"], "funnel.json"),
    "report-table": (["report", "funnel", "--output"], "funnel.txt"),
}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_disk_leaves_the_old_file(command: str, small_db: Database, target: Path,
                                         full_disk: None,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    arguments, name = COMMANDS[command]
    path = target / name
    path.write_bytes(YESTERDAY)
    status = main([*arguments, str(path), "--db", small_db.url, "--lang", "en"])
    check_untouched(path, status, capsys.readouterr().err)


def test_a_full_disk_leaves_the_old_workbook(small_db: Database, target: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import Workbook

    def save(self: Workbook, filename: Any) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Workbook, "save", save)
    path = target / "funnel.xlsx"
    path.write_bytes(YESTERDAY)
    status = main(["report", "funnel", "--format", "xlsx", "--output", str(path),
                   "--db", small_db.url, "--lang", "en"])
    check_untouched(path, status, capsys.readouterr().err)


def test_a_full_disk_leaves_the_old_calendar(small_db: Database, target: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    real = Path.write_bytes

    def write_bytes(self: Path, data: Any) -> int:
        real(self, bytes(data)[:100])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    path = target / "events.ics"
    real(path, YESTERDAY)
    status = main(["calendar", "export", str(path), "--db", small_db.url, "--lang", "en"])
    check_untouched(path, status, capsys.readouterr().err)


def test_a_complete_export_replaces_the_file_keeping_its_mode(small_db: Database,
                                                             target: Path) -> None:
    path = target / "all.jsonl"
    path.write_bytes(YESTERDAY)
    path.chmod(0o640)
    assert main(["export", str(path), "--db", small_db.url, "--lang", "en"]) == 0
    assert path.read_bytes() != YESTERDAY and path.read_text().count("\n") > 100
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in target.iterdir()) == ["all.jsonl"]


def test_an_interrupted_write_removes_its_temporary_file(target: Path) -> None:
    path = target / "a.txt"
    path.write_bytes(YESTERDAY)
    with pytest.raises(KeyboardInterrupt), atomic.text_writer(path) as handle:
        handle.write("new")
        raise KeyboardInterrupt
    assert path.read_bytes() == YESTERDAY
    assert [p.name for p in target.iterdir()] == ["a.txt"]


KILLED = """
import sys, time
from crm_tui.cli.main import main
from crm_tui.exchange import exporter
real = exporter.export_lines
def slow(db):
    for number, line in enumerate(real(db)):
        yield line
        if number == 50:
            sys.stdout.write("writing\\n"); sys.stdout.flush()
            time.sleep(60)
exporter.export_lines = slow
main(sys.argv[1:])
"""


def test_a_killed_export_leaves_the_old_file(small_db: Database, target: Path) -> None:
    path = target / "all.jsonl"
    path.write_bytes(YESTERDAY)
    process = subprocess.Popen([sys.executable, "-c", KILLED, "export", str(path),
                                "--db", small_db.url], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "writing\n"
        deadline = time.monotonic() + 30
        while not any(_partials(target)):
            assert time.monotonic() < deadline, "the export wrote nothing"
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert path.read_bytes() == YESTERDAY


def _partials(folder: Path) -> Iterator[Path]:
    return (p for p in folder.iterdir() if p.name.endswith(".partial"))


def test_export_of_an_existing_database_in_a_fresh_process(small_db: Database,
                                                           target: Path) -> None:
    """`crm export` on a database that needs no migration (the models were not imported:
    it ended with KeyError: 'classifier')."""
    path = target / "all.jsonl"
    result = subprocess.run([sys.executable, "-m", "crm_tui", "export", str(path),
                             "--db", small_db.url, "--lang", "en"],
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stderr) == (0, "")
    assert path.read_text(encoding="utf-8").count("\n") > 100
