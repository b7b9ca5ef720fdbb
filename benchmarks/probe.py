"""One measured run of the app, in its own process (started by benchmarks/run.py).

    python benchmarks/probe.py start crm DB T0      # first frame and first data after spawn
    python benchmarks/probe.py start bare - T0      # the same for a bare Textual app (floor)
    python benchmarks/probe.py interactive DB       # sections, keystrokes, search, memory
    python benchmarks/probe.py floor-keys           # keystrokes in a bare line-API list

Times are taken from posting an event to the next frame the app writes: `App._display` is
wrapped so that, although the app runs headless, every compositor update is still rendered
to terminal sequences (the work a real terminal frame costs) before the time is taken.
Prints one JSON object on stdout.
"""

from __future__ import annotations

import asyncio
import json
import math
import resource
import statistics
import sys
import time
from typing import Any

SIZE = (120, 36)
# Typed letter by letter into the partner search: the start of many demo partners' names
# ("Агроцентр …"): "а" matches 91% of the huge database's partners, "аг" to "агро" 4.5%.
SEARCH_WORD = "агро"


def install_frame_hook(app_class: type) -> list[float]:
    """Record the time of every frame; render each update as a terminal would."""
    from textual._compositor import CompositorUpdate

    frames: list[float] = []
    original = app_class._display

    def display(self: Any, screen: Any, renderable: Any) -> None:
        if renderable is not None and isinstance(renderable, CompositorUpdate):
            renderable.render_segments(self.console)
        original(self, screen, renderable)
        if renderable is not None:
            frames.append(time.perf_counter())
            waiter = getattr(self, "_bench_waiter", None)
            if waiter is not None and not waiter.done():
                waiter.set_result(frames[-1])

    app_class._display = display
    app_class._bench_frames = frames
    return frames


def busy_workers(app: Any, ignore: tuple[str, ...] = ("live-refresh",)) -> bool:
    """Whether a worker (other than those of the `ignore` groups) is pending or running."""
    from textual.worker import WorkerState

    return any(
        worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
        and worker.group not in ignore
        for worker in app.workers
    )


async def next_frame(app: Any, timeout: float = 5.0) -> float:
    loop = asyncio.get_running_loop()
    app._bench_waiter = loop.create_future()
    try:
        return await asyncio.wait_for(app._bench_waiter, timeout)
    except TimeoutError:
        return time.perf_counter()


QUIET = 0.2  # no worker, no message and no frame for this long: the screen is complete


async def idle(app: Any) -> None:
    """Wait until the app and every widget of its screen have handled what was queued."""
    try:
        nodes = [app, *app.screen.walk_children(with_self=True)]
    except Exception:  # no screen yet
        return
    done = [asyncio.Event() for _ in nodes]
    waiting = [event for node, event in zip(nodes, done, strict=True)
               if node.call_later(event.set)]
    await asyncio.wait_for(asyncio.gather(*(event.wait() for event in waiting)), 30)


async def settle(app: Any, timeout: float = 30.0, mode: str | None = None) -> float:
    """Wait until the screen is complete (the app shows `mode` when given, no data worker
    running, every queued message handled, no frame for QUIET seconds while the event loop
    was free); the time of the last frame, the one that showed the workers' results."""
    frames: list[float] = app._bench_frames
    deadline = time.perf_counter() + timeout
    await asyncio.sleep(0)
    while mode is not None and time.perf_counter() < deadline and not (
            app.current_mode == mode and app.screen.is_mounted):
        await asyncio.sleep(0.001)
    while time.perf_counter() < deadline:
        while busy_workers(app) and time.perf_counter() < deadline:
            await asyncio.sleep(0.001)
        seen, slept = len(frames), time.perf_counter()
        await asyncio.sleep(QUIET)
        loop_was_free = time.perf_counter() - slept < QUIET * 1.5
        if len(frames) != seen or not loop_was_free or busy_workers(app):
            continue
        # Quiet: confirm that nothing is still queued (only now, so that the messages this
        # posts do not delay the frames being measured).
        await idle(app)
        await asyncio.sleep(QUIET / 2)
        if len(frames) == seen and not busy_workers(app):
            break
    return frames[-1] if frames else time.perf_counter()


def start(kind: str, db: str, t0: float) -> dict[str, float]:
    """Seconds from spawn to the first frame, and to the first frame with data."""
    if kind == "bare":
        from textual.app import App
        from textual.widgets import Footer, Header, Static

        class Bare(App[None]):
            def compose(self):  # type: ignore[no-untyped-def]
                yield Header()
                yield Static("bare")
                yield Footer()

        frames = install_frame_hook(Bare)
        app: Any = Bare()
        ready = lambda: True  # noqa: E731
    else:
        from crm_tui.app import CrmApp

        frames = install_frame_hook(CrmApp)
        app = CrmApp(f"sqlite:///{db}", language="en")
        # First data: the home screen filled (the background import of the sections'
        # modules, group "warm-up", is not data).
        ready = lambda: (app.db is not None  # noqa: E731
                         and not busy_workers(app, ("live-refresh", "warm-up")))
    result: dict[str, float] = {}

    async def watch() -> None:
        while not frames:
            await asyncio.sleep(0.001)
        result["first_frame"] = frames[0] - t0
        while not ready():
            await asyncio.sleep(0.001)
        await next_frame(app)
        result["first_data"] = time.perf_counter() - t0
        app.exit()

    async def main() -> None:
        async with app.run_test(size=SIZE):
            await watch()

    asyncio.run(main())
    return result


async def keys(app: Any, key: str, times: int) -> list[float]:
    from textual import events

    latencies = []
    for _ in range(times):
        started = time.perf_counter()
        app.post_message(events.Key(key, None))
        latencies.append((await next_frame(app, timeout=1.0)) - started)
    await settle(app)
    return latencies


def summary(latencies: list[float]) -> dict[str, float]:
    """Median and 95th percentile (nearest rank: of four values, the highest)."""
    ordered = sorted(latencies)
    return {"p50": statistics.median(ordered),
            "p95": ordered[math.ceil(len(ordered) * 0.95) - 1]}


def interactive(db: str) -> dict[str, Any]:
    import importlib

    importlib.import_module("crm_tui")  # first, as `crm` does: its Textual settings apply
    from textual import events
    from textual.widgets import Input

    from crm_tui.app import CrmApp
    from crm_tui.sections import SECTIONS

    install_frame_hook(CrmApp)
    app: Any = CrmApp(db if "://" in db else f"sqlite:///{db}", language="en")  # a URL: PostgreSQL
    result: dict[str, Any] = {"open": {}, "keys": {}}

    async def main() -> None:
        async with app.run_test(size=SIZE):
            while app.db is None:
                await asyncio.sleep(0.01)
            await settle(app)
            for section in SECTIONS[1:]:
                # A section key typed into a focused input is text, not a section switch.
                app.screen.set_focus(None)
                await settle(app)
                started = time.perf_counter()
                app.post_message(events.Key(section.key, section.key))
                shown = await settle(app, mode=section.mode)
                if app.current_mode != section.mode or shown < started:
                    raise RuntimeError(f"key {section.key} did not open {section.mode}")
                result["open"][section.mode] = shown - started
                if section.mode in ("partners", "deals", "inbox", "claims"):
                    # The widget the screen focused: its main list or board.
                    target = app.screen.focused
                    if target is not None:
                        target.focus()
                        await settle(app)
                        down = await keys(app, "down", 100)
                        page = await keys(app, "pagedown", 100)
                        result["keys"][section.mode] = {"down": summary(down),
                                                        "pagedown": summary(page)}
                if section.mode == "partners":
                    result["search"] = await search(app, Input)
                app.post_message(events.Key("escape", None))
                await settle(app)
            result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    asyncio.run(main())
    return result


async def search(app: Any, input_class: type) -> dict[str, Any]:
    """Type a word letter by letter into the partner search. Per letter: key to results (the
    first frame drawn after the list received its first page for the new text, with the
    count up to its cap) and key to the last frame (for a search with more matches than the
    first count counts, the exact count, read in the background, comes in a later frame)."""
    from textual import events

    from crm_tui.widgets.virtual_list import VirtualList

    inputs = list(app.screen.query(input_class))
    if not inputs:
        return {}
    arrived: list[float] = []
    original = VirtualList._fetched

    def fetched(self: Any, generation: int, page: int, rows: Any) -> None:
        original(self, generation, page, rows)
        if generation == self._generation:
            arrived.append(time.perf_counter())

    VirtualList._fetched = fetched
    inputs[0].cursor_blink = False  # a blink is a frame: it would end the wait early
    inputs[0].focus()
    await settle(app)
    frames: list[float] = app._bench_frames
    results, complete = [], []
    for letter in SEARCH_WORD:
        arrived.clear()
        started = time.perf_counter()
        app.post_message(events.Key(letter, letter))
        last = await settle(app)
        if not arrived:
            raise RuntimeError(f"typing {letter!r} did not read the list again")
        shown = next(frame for frame in frames if frame >= arrived[0])
        results.append(shown - started)
        complete.append(last - started)
    for _ in SEARCH_WORD:
        app.post_message(events.Key("backspace", None))
        await settle(app)
    VirtualList._fetched = original
    return {"results": summary(results), "complete": summary(complete)}


def floor_keys() -> dict[str, Any]:
    """The framework floor: a bare line-API list of a million lines with a moving cursor."""
    from rich.segment import Segment
    from textual.app import App
    from textual.binding import Binding
    from textual.geometry import Size
    from textual.reactive import reactive
    from textual.scroll_view import ScrollView
    from textual.strip import Strip

    class Lines(ScrollView, can_focus=True):
        BINDINGS = [Binding("down", "move(1)"), Binding("pagedown", "move(30)")]
        cursor = reactive(0)

        def on_mount(self) -> None:
            self.virtual_size = Size(100, 1_000_000)

        def render_line(self, y: int) -> Strip:
            index = int(self.scroll_offset.y) + y
            style = self.rich_style
            text = f"row {index}".ljust(self.size.width)
            if index == self.cursor:
                from rich.style import Style

                style = style + Style(reverse=True)
            return Strip([Segment(text, style)])

        def action_move(self, delta: int) -> None:
            self.cursor += delta
            self.scroll_to(y=max(self.cursor - self.size.height + 1, 0), animate=False)
            self.refresh()

    class Floor(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield Lines()

    install_frame_hook(Floor)
    app: Any = Floor()
    result: dict[str, Any] = {}

    async def main() -> None:
        async with app.run_test(size=SIZE):
            app.query_one(Lines).focus()
            await settle(app)
            result["down"] = summary(await keys(app, "down", 100))
            result["pagedown"] = summary(await keys(app, "pagedown", 100))

    asyncio.run(main())
    return result


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "start":
        output: Any = start(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    elif mode == "interactive":
        output = interactive(sys.argv[2])
    else:
        output = floor_keys()
    print(json.dumps(output))
