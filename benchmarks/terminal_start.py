"""Cold starts of the installed `crm` command in a real terminal (tmux), beside a bare
Textual app started the same way.

    python benchmarks/terminal_start.py DB [ROUNDS]

The time is from spawning the command in a new tmux window to the first capture of the pane
that shows the app's section bar (for crm) or the bare app's text: what a user waits for.
The pane is read every 2 ms; tmux's own start is outside the window (the server runs first).
Prints one JSON object: medians of the crm and bare starts and the median of their ratios."""

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

SOCKET = f"crm-bench-{os.getpid()}"
BARE_APP = '''
from textual.app import App
from textual.widgets import Footer, Static


class Bare(App[None]):
    def compose(self):
        yield Static("bare app ready")
        yield Footer()


Bare().run()
'''


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True,
                          check=False).stdout


def _time_to(command: str, marker: str, timeout: float = 20.0) -> float:
    """Seconds from spawning `command` in a new window until `marker` shows in its pane."""
    _tmux("kill-window", "-t", "bench:1")
    start = time.perf_counter()
    _tmux("new-window", "-d", "-t", "bench:1", command)
    while time.perf_counter() - start < timeout:
        if marker in _tmux("capture-pane", "-p", "-t", "bench:1"):
            elapsed = time.perf_counter() - start
            _tmux("kill-window", "-t", "bench:1")
            return elapsed
        time.sleep(0.002)
    _tmux("kill-window", "-t", "bench:1")
    raise TimeoutError(f"{marker!r} never showed for {command!r}")


def measure(db: str, rounds: int = 9) -> dict[str, float]:
    """Median seconds to the first screen of `crm --db DB --lang en` and of a bare app,
    started in pairs (bare, then crm) so that drift of the machine's speed cancels out."""
    crm = shutil.which("crm")
    if crm is None or shutil.which("tmux") is None:
        raise SystemExit("needs the installed crm command and tmux")
    folder = Path(tempfile.mkdtemp(prefix="crm-bench-"))
    bare = folder / "bare.py"
    bare.write_text(BARE_APP, encoding="utf-8")
    _tmux("new-session", "-d", "-s", "bench", "-x", "120", "-y", "36")
    try:
        pairs = []
        for _ in range(rounds):
            bare_time = _time_to(f"{sys.executable} {bare}", "bare app ready")
            crm_time = _time_to(f"{crm} --db {db} --lang en", "1 Partners")
            pairs.append((bare_time, crm_time))
    finally:
        _tmux("kill-server")
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "bare": statistics.median(bare for bare, _ in pairs),
        "crm": statistics.median(crm for _, crm in pairs),
        "ratio": statistics.median(crm / bare for bare, crm in pairs),
    }


if __name__ == "__main__":
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    print(json.dumps(measure(sys.argv[1], rounds)))
