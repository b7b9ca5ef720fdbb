"""What the app does before its first frame. benchmarks/run.py measures the time; these pin
the causes found when Home's first frame grew to 1.4x a bare Textual app's (issue 23), so
that each one fails here if it comes back:

- the whole stylesheet parsed again (Textual re-parses every CSS source when a screen brings
  a stylesheet not read yet, and again when the first mode's screen is restyled);
- a full garbage collection among the just-imported modules and the new widgets;
- TextArea imported (~30 ms) by the key bar asking whether a text field has the focus.

Run in a child process: the collector's state and the loaded modules are the process's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from textual.widgets import TextArea

PROGRAM = """
import asyncio, gc, json, sys
from textual.css.stylesheet import Stylesheet
from crm_tui.app import CrmApp

reparses = []
original = Stylesheet.reparse
def counting(self):
    reparses.append(1)
    return original(self)
Stylesheet.reparse = counting
collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info))
seen = {}

class Watched(CrmApp):
    def on_load(self):
        getattr(super(), "on_load", lambda: None)()
        seen["collections_at_load"] = len(collections)

    def _first_frame_drawn(self):  # the app's own hook: called once the first frame is out
        seen.update(reparses=len(reparses), collections=len(collections),
                    collector_on=gc.isenabled(), text_area=sys.argv[2] in sys.modules,
                    screen=type(self.screen).__name__)
        super()._first_frame_drawn()
        seen["collector_on_after"] = gc.isenabled()
        seen["frozen"] = gc.get_freeze_count()

async def main():
    app = Watched(sys.argv[1], language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        while "frozen" not in seen:
            await pilot.pause(0.01)
asyncio.run(main())
print(json.dumps(seen))
"""


def _first_frame(tmp_path: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, f"sqlite:///{tmp_path / 'crm.sqlite3'}",
         TextArea.__module__],
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    seen: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["screen"] == "HomeScreen"
    return seen


def test_the_first_frame_parses_the_css_once_and_collects_no_garbage(tmp_path: Path) -> None:
    seen = _first_frame(tmp_path)
    # Parsed once as the app starts (Textual's own parse, not a re-parse).
    assert seen["reparses"] == 0
    # The collector is off from the app's Load to its first frame, then on again with what
    # start-up made moved out of its way.
    assert seen["collector_on"] is False
    assert seen["collections"] == seen["collections_at_load"]
    assert seen["collector_on_after"] is True
    assert isinstance(seen["frozen"], int) and seen["frozen"] > 10_000


def test_the_first_frame_does_not_import_the_text_area(tmp_path: Path) -> None:
    assert TextArea.__module__ != "textual.widgets"  # the module the class really lives in
    assert _first_frame(tmp_path)["text_area"] is False


async def test_the_collector_is_on_again_when_the_app_ends_before_its_first_frame(
        tmp_path: Path) -> None:
    """An app that ends early (an error on start) leaves the process collecting."""
    import gc

    from crm_tui.app import CrmApp

    app = CrmApp(f"sqlite:///{tmp_path / 'crm.sqlite3'}", language="en")
    app.on_load()
    assert not gc.isenabled()
    app.on_unmount()
    assert gc.isenabled()
