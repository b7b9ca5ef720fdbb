"""End to end: the installed `crm` command in a real terminal (tmux), driven by keys."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(shutil.which("crm") is None, reason="the crm command is not installed"),
]


class Terminal:
    """A detached tmux session running one command."""

    def __init__(self, command: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        self.name = f"crm-e2e-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{key}={value}" for key, value in env.items())
        shell_command = f"env {exports} {' '.join(command)}; sleep 1"
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(size[0]),
                        "-y", str(size[1]), shell_command], check=True)
        subprocess.run(["tmux", "resize-window", "-t", self.name, "-x", str(size[0]),
                        "-y", str(size[1])], capture_output=True)

    def screen(self) -> str:
        result = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                                capture_output=True, text=True)
        return result.stdout

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name],
                              capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def test_crm_shows_sections_opens_one_and_quits(tmp_path: Path) -> None:
    database = tmp_path / "e2e.sqlite3"
    env = {"TERM": "xterm-256color", "XDG_DATA_HOME": str(tmp_path / "data"),
           "PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    terminal = Terminal([shutil.which("crm") or "crm", "--db", str(database), "--lang", "en"],
                        env, size=(120, 36))
    try:
        screen = terminal.wait_for("open deals")
        for name in ("Partners", "Deals", "Inbox", "Calendar", "Claims", "Agreements",
                     "Reports", "Settings"):
            assert name in screen
        terminal.keys("1")
        terminal.wait_for("crm-tui · Partners")
        terminal.keys("C-q")
        deadline = time.monotonic() + 10
        while terminal.alive() and "crm-tui ·" in terminal.screen():
            assert time.monotonic() < deadline, "crm did not quit"
            time.sleep(0.2)
        assert database.exists()
    finally:
        terminal.close()
