"""Fixtures for the deals screens: a small seeded database and waiting helpers."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.pilot import Pilot

from crm_tui.app import CrmApp
from crm_tui.store.database import Database
from tests.support.login import set_login_for_tests
from tests.support.screen import wait_until
from tests.unit.deals.data import seed


@pytest.fixture
def deals_url(db_url: str, fixed_now: datetime) -> str:
    """A database with the small deal data; the current user is ivanov (a manager)."""
    database = Database.open(db_url)
    seed(database)
    database.close()
    set_login_for_tests("ivanov")
    return db_url



async def open_deals(app: CrmApp, pilot: Pilot[None]) -> None:
    """Wait for the database, go to the Deals section and wait for the board."""
    from crm_tui.screens.deals.board import DealsScreen
    from crm_tui.widgets.kanban import KanbanBoard

    await wait_until(pilot, lambda: app.db is not None)
    await pilot.press("2")
    await wait_until(pilot, lambda: isinstance(app.screen, DealsScreen))

    def loaded() -> bool:
        board = app.screen.query_one(KanbanBoard)
        return bool(board.columns) and all(c.count is not None for c in board.columns)

    await wait_until(pilot, loaded)
