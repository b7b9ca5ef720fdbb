"""Pilot helpers for the interaction screens."""

from __future__ import annotations

from typing import Any

from crm_tui.app import CrmApp


async def wait_db(app: CrmApp, pilot: Any) -> None:
    """Wait until the app's database is open (it opens in a worker)."""
    from tests.support.screen import wait_for_database

    await wait_for_database(pilot)


async def settle(pilot: Any, times: int = 8) -> None:
    """Wait for the app's workers to finish (`times` is kept for old callers)."""
    from tests.support.screen import settle as settle_app

    await settle_app(pilot)
