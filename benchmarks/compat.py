"""What each Textual workaround of crm_tui/tui_compat.py saves, measured in process.

    python benchmarks/compat.py DB [--runs 3] [--without NAME]...

Runs the app headless (frames rendered to terminal sequences, as probe.py does) and takes the
CPU time of the event loop's thread (not wall time: on a shared machine that measures the
other processes) for:
- opening each section the first time and coming back to it (key to the first frame drawn
  with the section, and key to the last frame once its data is shown; the data is read
  in worker threads, not counted);
- typing into the partner search (key to the next frame, the letter drawn).
`--without NAME` switches one workaround off (names: tui_compat.WORKAROUNDS) to measure it.
Each run is a fresh process; the figures are medians over the runs and sections.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SIZE = (120, 36)


async def _wait_quiet(app: Any, probe: Any) -> float:
    """Until no data worker runs and no frame came for 0.2 s; the last frame's time."""
    frames: list[float] = app._bench_frames
    while True:
        while probe.busy_workers(app, ("live-refresh", "warm-up")):
            await asyncio.sleep(0.001)
        seen = len(frames)
        await asyncio.sleep(0.2)
        if len(frames) == seen and not probe.busy_workers(app, ("live-refresh", "warm-up")):
            return frames[-1]


def measure(db: str, without: list[str]) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    import probe

    from crm_tui import tui_compat

    for name in without:
        tui_compat.disable(name)
    from textual import events

    from crm_tui.app import CrmApp
    from crm_tui.sections import SECTIONS

    frames = probe.install_frame_hook(CrmApp)
    # The event loop thread's CPU time at each frame: on a busy machine wall time measures
    # the other processes; styles, layout and drawing all run on this thread.
    cpu: list[float] = []
    hooked = CrmApp._display

    def display(self: Any, screen: Any, renderable: Any) -> None:
        hooked(self, screen, renderable)
        if renderable is not None:
            cpu.append(time.thread_time())

    CrmApp._display = display  # type: ignore[method-assign]

    async def frame_cpu(started: float) -> float:
        """CPU time from `started` to the next frame."""
        shown = await probe.next_frame(app)
        await asyncio.sleep(0)
        return cpu[frames.index(shown)] - started
    app: Any = CrmApp(f"sqlite:///{db}", language="en")
    result: dict[str, Any] = {"first": {}, "first_data": {}, "again": {}, "keys": []}

    async def open_section(key: str, mode: str) -> tuple[float, float]:
        app.screen.set_focus(None)
        started = time.thread_time()
        app.post_message(events.Key(key, key))
        first = await frame_cpu(started)
        while not (app.current_mode == mode and app.screen.is_mounted):
            first = await frame_cpu(started)
        await _wait_quiet(app, probe)
        return first, cpu[-1] - started

    async def main() -> None:
        async with app.run_test(size=SIZE):
            while app.db is None:
                await asyncio.sleep(0.01)
            await _wait_quiet(app, probe)
            for worker in list(app.workers):  # the background warm-up: not what is measured
                if worker.group == "warm-up":
                    await worker.wait()
            await _wait_quiet(app, probe)
            for section in SECTIONS[1:]:
                first, last = await open_section(section.key, section.mode)
                result["first"][section.mode] = first
                result["first_data"][section.mode] = last
                await open_section("0", "home")
            for section in SECTIONS[1:]:
                first, _last = await open_section(section.key, section.mode)
                result["again"][section.mode] = first
            await open_section("1", "partners")
            from textual.widgets import Input

            field = app.screen.query(Input).first()
            field.cursor_blink = False
            field.focus()
            await _wait_quiet(app, probe)
            for letter in "zzzzzzzzzzzzzzzzzzzz":  # no match: the list stays empty, cheap
                started = time.thread_time()
                app.post_message(events.Key(letter, letter))
                result["keys"].append(await frame_cpu(started))
                await _wait_quiet(app, probe)
            app.exit()

    asyncio.run(main())
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--without", action="append", default=[])
    parser.add_argument("--once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.once:
        print(json.dumps(measure(args.db, args.without)))
        return 0
    runs = []
    for _ in range(args.runs):
        command = [sys.executable, __file__, args.db, "--once"]
        for name in args.without:
            command += ["--without", name]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        runs.append(json.loads(output))

    def median_ms(key: str) -> float:
        values = [v for run in runs for v in (run[key].values() if isinstance(run[key], dict)
                                               else run[key])]
        return round(statistics.median(values) * 1000, 1)

    print(json.dumps({"without": args.without, "section_first_frame_ms": median_ms("first"),
                      "section_first_data_ms": median_ms("first_data"),
                      "section_again_ms": median_ms("again"),
                      "search_key_ms": median_ms("keys")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
