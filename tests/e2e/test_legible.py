"""Every section is legible in a real terminal: the installed `crm` runs in tmux (256 colours,
and again with COLORTERM=truecolor), in Russian and English, at 120x36 and 80x24; each section
is captured with its colours and no visible character may have a contrast under 2:1 with the
colour behind it. (The home screen's text was once drawn in its background colour; snapshot
and Pilot tests did not see it, and a plain-text capture does not show colours.)"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from crm_tui.i18n import _, set_language
from crm_tui.sections import SECTIONS
from tests.support.contrast import describe, plain, unreadable, visible

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(shutil.which("crm") is None, reason="the crm command is not installed"),
]

LOADING = ("Loading…", "Загрузка…")


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small demo database, made once by the installed command."""
    path = tmp_path_factory.mktemp("legible") / "demo.sqlite3"
    subprocess.run([shutil.which("crm") or "crm", "demo", "--size", "small", "--db", str(path)],
                   check=True, capture_output=True, timeout=300)
    return path


class ColourTerminal:
    """crm in a detached tmux session of its own server (socket), captured with colours."""

    def __init__(self, home: Path, database: Path, language: str, size: tuple[int, int],
                 truecolor: bool) -> None:
        self.socket = f"crm-legible-{uuid.uuid4().hex[:8]}"
        # What the terminal tells the app, and nothing inherited from the test's terminal.
        colour = "COLORTERM=truecolor" if truecolor else "-u COLORTERM"
        command = (f"env -u NO_COLOR -u TEXTUAL_COLOR_SYSTEM {colour} TERM=xterm-256color "
                   f"HOME={home} XDG_DATA_HOME={home / 'data'} "
                   f"{shutil.which('crm')} --db {database} --lang {language}; sleep 5")
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", "crm", "-x", str(size[0]),
                   "-y", str(size[1]), command)

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], check=True,
                              capture_output=True, text=True).stdout

    def capture(self) -> str:
        return self._tmux("capture-pane", "-p", "-e", "-t", "crm")

    def press(self, key: str) -> None:
        self._tmux("send-keys", "-t", "crm", key)

    def settled(self, title: str, key: str | None = None, timeout: float = 30.0) -> str:
        """The screen once it shows `title` in its header, has loaded, and stopped changing.
        `key` is pressed again if the section has not opened after a while (a key typed
        while the app is still starting can be lost)."""
        started = time.monotonic()
        deadline = started + timeout
        previous = ""
        retried = False
        while time.monotonic() < deadline:
            screen = self.capture()
            text = plain(screen)
            header = text.split("\n", 1)[0]
            shown = f"crm-tui · {title}" in header
            if shown and not any(word in text for word in LOADING) and screen == previous:
                return screen
            if key and not shown and not retried and time.monotonic() - started > 8:
                self.press(key)
                retried = True
            previous = screen
            time.sleep(0.3)
        raise AssertionError(f"{title!r} never settled; the screen was:\n{plain(self.capture())}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture(params=[(120, 36), (80, 24)], ids=["120x36", "80x24"])
def size(request: pytest.FixtureRequest) -> tuple[int, int]:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(params=["ru", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    set_language(request.param)
    yield request.param
    set_language("en")


@pytest.mark.parametrize("truecolor", [False, True], ids=["256colours", "truecolor"])
def test_every_section_is_legible(demo_database: Path, tmp_path: Path, language: str,
                                  size: tuple[int, int], truecolor: bool) -> None:
    terminal = ColourTerminal(tmp_path, demo_database, language, size, truecolor)
    failures: list[str] = []
    try:
        for section in SECTIONS:
            title = _(section.title)
            key = None if section.mode == "home" else section.key  # the app opens on home
            if key:
                terminal.press(key)
            screen = terminal.settled(title, key)
            # The capture holds text: a blank screen would pass the contrast check.
            assert visible(screen) > 100, f"{title}: almost nothing shown:\n{plain(screen)}"
            bad = unreadable(screen)
            if bad:
                failures.append(f"{title} ({len(bad)} unreadable characters):\n{describe(bad)}")
    finally:
        terminal.close()
    assert not failures, "\n\n".join(failures)

