"""Reading what the app shows, as a person would see it."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot


def screen_text(app: Any) -> str:
    """The text of every line of the current screen, as composed for the terminal."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def wait_for_database(pilot: Pilot[Any], timeout: float = 10.0) -> None:
    """Wait until the app has opened its database (it opens in a worker)."""
    app = pilot.app
    steps = int(timeout / 0.05)
    for _ in range(steps):
        if getattr(app, "db", None) is not None:
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("the database did not open")


def _busy(app: Any) -> bool:
    from textual.worker import WorkerState

    return any(
        worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
        and worker.group != "live-refresh"
        for worker in app.workers
    )


async def settle(pilot: Pilot[Any], timeout: float = 15.0) -> None:
    """Wait until the app is quiet: no data worker running across two refreshes in a row.

    Waiting on the work itself, not on a fixed time, keeps tests steady on a loaded machine."""
    app = pilot.app
    quiet = 0
    for _ in range(int(timeout / 0.02)):
        await pilot.pause(0.02)
        quiet = 0 if _busy(app) else quiet + 1
        if quiet >= 3:
            return
    raise AssertionError("the app did not settle")
