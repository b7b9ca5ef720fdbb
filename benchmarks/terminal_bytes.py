"""Bytes the app writes to its terminal per keystroke, as an SSH link would carry them.

    python benchmarks/terminal_bytes.py DB [PLACE ...]

Runs the installed `crm` in tmux (120×36, 256 colours), opens a section, then counts with
`tmux pipe-pane` what the app writes for each of 20 Down keys (one key, then a pause, so
each key's frame is complete), and what it writes in 3 s of doing nothing. The floor is a
bare Textual DataTable of the same shape (36 rows of 6 columns) started the same way.
Prints one JSON object: bytes per key for each place and for the floor, and idle bytes."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOCKET = os.environ.get("CRM_BENCH_TMUX", f"crm-bytes-{os.getpid()}")
KEYS = 20
# Where to measure: (name, keys that open it from Home, text that shows it is open, the
# key that moves its cursor). The demo's interactions in progress are those of the weeks
# before it was made: the calendar is measured on this week (few items) and on a week of
# last month, going back and forth between two full days (the two cells and the day's list
# change on each key). Keys separated by spaces are pressed in turn.
PLACES = (
    ("partners", ("1",), "Partners", "Down"),
    ("deals board", ("2",), "Deals", "Down"),
    ("inbox", ("3",), "Inbox", "Down"),
    ("calendar", ("4",), "Calendar", "Right"),
    ("calendar, full days", ("m", "[", "w"), "Week: ", "Left Right"),
    ("claims", ("0", "5"), "Claims", "Down"),
)
FLOOR_APP = '''
from textual.app import App
from textual.widgets import DataTable


class Floor(App[None]):
    def compose(self):
        yield DataTable(cursor_type="row")

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Partner", "Key", "INN", "Region", "Manager", "Phone")
        for row in range(2000):
            table.add_row(f"Partner number {row} and sons", f"P-{row:06}", f"77{row:08}",
                          "Moscow", "manager", f"+7 900 {row:07}")


Floor().run()
'''


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True,
                          check=False).stdout


def _wait_for(text: str, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if text in _tmux("capture-pane", "-p", "-t", "bytes"):
            return
        time.sleep(0.05)
    screen = _tmux("capture-pane", "-p", "-t", "bytes")
    raise TimeoutError(f"{text!r} never showed; the pane:\n{screen}")


def _count(log: Path, action: object) -> int:
    """Bytes written to the pane while `action()` runs and the app settles."""
    log.write_bytes(b"")
    _tmux("pipe-pane", "-t", "bytes", f"cat >> {log}")
    time.sleep(0.3)
    action()  # type: ignore[operator]
    time.sleep(0.5)
    _tmux("pipe-pane", "-t", "bytes")
    time.sleep(0.1)
    return log.stat().st_size


def _per_key(log: Path, keys: str = "Down") -> float:
    sizes = []
    names = keys.split()
    for number in range(KEYS):
        key = names[number % len(names)]
        sizes.append(_count(log, lambda key=key: _tmux("send-keys", "-t", "bytes", key)))
    return statistics.median(sizes)


def _start(command: str, ready: str) -> None:
    _tmux("kill-server")
    time.sleep(0.5)  # the old server lets go of its socket
    _tmux("new-session", "-d", "-s", "bytes", "-x", "120", "-y", "36", f"{command}; sleep 60")
    _wait_for(ready)
    time.sleep(1.5)


def measure(db: str) -> dict[str, float]:
    crm = shutil.which("crm")
    if crm is None or shutil.which("tmux") is None:
        raise SystemExit("needs the installed crm command and tmux")
    folder = Path(tempfile.mkdtemp(prefix="crm-bytes-"))
    log = folder / "pane.log"
    results: dict[str, float] = {}
    try:
        floor = folder / "floor.py"
        floor.write_text(FLOOR_APP, encoding="utf-8")
        _start(f"{sys.executable} {floor}", "Partner number 3")
        results["floor: DataTable"] = _per_key(log)
        _start(f"{crm} --db {db} --lang en", "1 Partners")
        results["idle 3 s"] = _count(log, lambda: time.sleep(3))
        for name, keys, ready, move in PLACES:
            for key in keys:
                _tmux("send-keys", "-t", "bytes", key)
                time.sleep(0.5)
            _wait_for(ready)
            time.sleep(1.5)
            results[name] = _per_key(log, move)
            if not name.startswith("calendar"):  # the next calendar place starts here
                _tmux("send-keys", "-t", "bytes", "0")
                time.sleep(0.5)
    finally:
        _tmux("kill-server")
        shutil.rmtree(folder, ignore_errors=True)
    return results


if __name__ == "__main__":
    if len(sys.argv) > 2:  # only the places named (the calendar's need "calendar" first)
        PLACES = tuple(place for place in PLACES if place[0] in sys.argv[2:])
    print(json.dumps(measure(sys.argv[1]), indent=1))
