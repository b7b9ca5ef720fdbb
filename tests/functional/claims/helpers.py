"""Helpers for the claims Pilot tests."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from crm_tui.store.database import Database
from tests.support.login import set_login_for_tests
from tests.support.screen import screen_text, wait_until
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



async def wait_text(pilot: Pilot[Any], text: str, timeout: float = 30.0) -> None:
    await wait_until(pilot, lambda: text in screen_text(pilot.app), timeout)
