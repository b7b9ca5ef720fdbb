"""Pilot helpers for the interaction screens."""

from __future__ import annotations

from typing import Any

from crm_tui.app import CrmApp


async def wait_db(app: CrmApp, pilot: Any) -> None:
    for _ in range(200):
        if app.db is not None:
            break
        await pilot.pause(0.02)
    await pilot.pause()


async def settle(pilot: Any, times: int = 8) -> None:
    """Wait for the app's workers to finish (`times` is kept for old callers)."""
    from tests.support.screen import settle as settle_app

    await settle_app(pilot)
