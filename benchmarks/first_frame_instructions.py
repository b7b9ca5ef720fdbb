"""Instructions the CPU executes from the interpreter's start to the first frame, for `crm`'s
app (en and ru) and for the bare Textual app benchmarks/probe.py starts, under valgrind.

    python benchmarks/first_frame_instructions.py DB

Unlike a time, an instruction count does not change with what else the machine runs, so a
change to the first frame can be judged on a busy machine: with the hash seed fixed, two runs
agree within 0.1%. It does not see the caches or the terminal (benchmarks/run.py's cold
starts do). Each process stops (os._exit) as the first frame is written. Prints one JSON
object: instructions of each start and crm's ratios to the bare app's."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

START = """
import asyncio, os, sys
sys.path.insert(0, {here!r})
import probe
kind, db, language = sys.argv[1:4]
if kind == "bare":
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App[None]):
        def compose(self):
            yield Header()
            yield Static("bare")
            yield Footer()

    frames = probe.install_frame_hook(Bare)
    app = Bare()
else:
    from crm_tui.app import CrmApp

    frames = probe.install_frame_hook(CrmApp)
    app = CrmApp(f"sqlite:///{{db}}", language=language)


async def main():
    async with app.run_test(size=probe.SIZE):
        while not frames:
            await asyncio.sleep(0.0005)
        os._exit(0)

asyncio.run(main())
"""


def instructions(kind: str, db: str, language: str = "en") -> int:
    """Instructions to the first frame of one start (`kind`: "bare" or "crm")."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "start.py"
        script.write_text(START.format(here=str(HERE)))
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/out",
             sys.executable, str(script), kind, db, language],
            capture_output=True, text=True, check=False,
            env=dict(os.environ, PYTHONHASHSEED="0", TERM="xterm-256color"))
    found = re.search(r"Collected : (\d+)", result.stderr)
    if found is None:
        raise RuntimeError(f"callgrind said:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def measure(db: str) -> dict[str, float] | None:
    """The counts and ratios, or None without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    # Byte-compiled first, as an installed package is (benchmarks/run.py does the same).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "crm_tui")],
                   check=True)
    bare = instructions("bare", "-")
    crm_en = instructions("crm", db, "en")
    crm_ru = instructions("crm", db, "ru")
    return {"bare": bare, "crm en": crm_en, "crm ru": crm_ru,
            "ratio en": crm_en / bare, "ratio ru": crm_ru / bare}


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1])))
