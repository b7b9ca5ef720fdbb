"""Helpers for the claims Pilot tests."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from crm_tui.store.database import Database
from crm_tui.store.users import set_login_for_tests
from tests.support.screen import screen_text
from tests.unit.claims.helpers import load

SIZE = (120, 36)


def prepare(db_url: str, *records: dict[str, Any], partner_name: str = "Acme") -> None:
    """A database with the base records (+ `records`), acting as ivanov."""
    database = Database.open(db_url)
    try:
        load(database, *records, partner_name=partner_name)
    finally:
        database.close()
    set_login_for_tests("ivanov")


async def wait_until(pilot: Pilot[Any], condition: Any, timeout: float = 5.0) -> None:
    """Pause until `condition()` is true."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out; screen:\n{screen_text(pilot.app)}")


async def wait_text(pilot: Pilot[Any], text: str, timeout: float = 5.0) -> None:
    await wait_until(pilot, lambda: text in screen_text(pilot.app), timeout)
