"""Reading what the app shows, as a person would see it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot


def screen_text(app: Any) -> str:
    """The text of every line of the current screen, as composed for the terminal."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def wait_for_database(pilot: Pilot[Any], timeout: float = 30.0) -> None:
    """Wait until the app has opened its database (it opens in a worker).

    The limit is wall-clock time, generous for a loaded machine: it only matters when
    the database really does not open."""
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if getattr(app, "db", None) is not None:
            await pilot.pause()
            return
        await pilot.pause(0.05)
    if getattr(app, "db", None) is not None:
        return
    raise AssertionError("the database did not open")


async def wait_until(pilot: Pilot[Any], condition: Callable[[], object],
                     timeout: float = 30.0, what: str = "the condition") -> None:
    """Pause until `condition()` is true; fail with the screen's text after `timeout` s.

    Waiting on the condition itself keeps tests steady on a loaded machine; the limit is
    generous and only matters when something is really wrong."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if condition():
            return
        await pilot.pause(0.02)
    if condition():
        return
    raise AssertionError(f"{what} never held on {type(pilot.app.screen).__name__}:\n"
                         f"{screen_text(pilot.app)}")


def _busy(app: Any) -> bool:
    from textual.worker import WorkerState

    return any(
        worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
        and worker.group != "live-refresh"
        for worker in app.workers
    )


async def settle(pilot: Pilot[Any], timeout: float = 30.0) -> None:
    """Wait until the app is quiet: no data worker running across three refreshes in a row.

    Waiting on the work itself, not on a fixed time, keeps tests steady on a loaded machine."""
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    quiet = 0
    while loop.time() < deadline:
        await pilot.pause(0.02)
        quiet = 0 if _busy(app) else quiet + 1
        if quiet >= 3:
            return
    raise AssertionError("the app did not settle")
