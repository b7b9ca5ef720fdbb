"""Long commands show their progress on stderr when it is a terminal, and write nothing more
when it is not (issue 24 §2)."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from crm_tui.exchange.demo import generate


@pytest.fixture
def exchange_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for record in generate("small", 1):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def crm(*args: str) -> list[str]:
    return [sys.executable, "-m", "crm_tui", "--lang", "en", *args]


def run_on_terminal(command: list[str]) -> tuple[int, str, str]:
    """(exit status, stdout, what reached the terminal on stderr) of `command`, its stderr
    being a pseudo-terminal."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=terminal, text=True,
                               env={**os.environ, "COLUMNS": "120", "TERM": "xterm-256color"})
    os.close(terminal)
    seen = b""
    # poll, not select: late in a long test run descriptors pass select's limit of 1024
    waiting = select.poll()
    waiting.register(controller, select.POLLIN)
    while True:
        ready = waiting.poll(60_000)
        assert ready, "the command wrote nothing for a minute"
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the command ended and closed its terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(controller)
    stdout = process.stdout.read() if process.stdout else ""
    return process.wait(60), stdout, seen.decode("utf-8", "replace")


@pytest.mark.parametrize("command", ["import", "export", "demo"])
def test_progress_on_a_terminal(tmp_path: Path, exchange_file: Path, command: str) -> None:
    db = str(tmp_path / "crm.sqlite3")
    if command == "export":
        subprocess.run(crm("--db", db, "import", str(exchange_file)), check=True,
                       capture_output=True)
    args = {"import": ["import", str(exchange_file)],
            "export": ["export", str(tmp_path / "out.jsonl")],
            "demo": ["demo", "--size", "small"]}[command]
    status, stdout, terminal = run_on_terminal(crm("--db", db, *args))
    assert status == 0
    assert "total: " in stdout  # the counts still go to stdout, undisturbed
    label = {"import": "Importing", "export": "Exporting", "demo": "Generating demo data"}
    assert label[command] in terminal
    assert "records, " in terminal and " per second" in terminal


@pytest.mark.parametrize("command", ["import", "export", "demo"])
def test_nothing_more_when_stderr_is_no_terminal(tmp_path: Path, exchange_file: Path,
                                                command: str) -> None:
    db = str(tmp_path / "crm.sqlite3")
    subprocess.run(crm("--db", db, "import", str(exchange_file)), check=True,
                   capture_output=True)
    args = {"import": ["import", str(exchange_file)],
            "export": ["export", str(tmp_path / "out.jsonl")],
            "demo": ["demo", "--size", "small"]}[command]
    result = subprocess.run(crm("--db", str(tmp_path / "other.sqlite3"), *args)
                            if command != "export" else crm("--db", db, *args),
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "records" not in result.stdout and "total: " in result.stdout
