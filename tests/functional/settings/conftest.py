"""Fixtures for the settings area's Pilot tests: a prepared database and a started app."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from crm_tui.app import CrmApp
from crm_tui.exchange.importer import import_lines
from crm_tui.exchange.seed import seed_classifiers
from crm_tui.store.database import Database
from crm_tui.store.users import ensure_current_user
from tests.support.login import set_login_for_tests
from tests.support.screen import wait_until
from tests.unit.settings.conftest import HOSTILE, lines


@pytest.fixture
def prepared_url(db_url: str, fixed_now: object) -> str:
    """A database with classifiers, partners (one with a hostile name) and agreements."""
    database = Database.open(db_url)
    seed_classifiers(database, "en")
    import_lines(database, lines(
        {"type": "partner", "id": "P1", "name": "Alpha", "roles": ["client"]},
        {"type": "partner", "id": "P2", "name": HOSTILE.replace("\x1b", "").replace("\x07", ""),
         "roles": ["client"]},
        {"type": "agreement", "id": "T1", "kind": "typical", "name": "Wholesale [b]terms[/b]",
         "price_type": "wholesale", "payment_schedule": [{"percent": 50, "days": 0},
                                                         {"percent": 50, "days": 30}],
         "valid_from": "2025-01-01", "status": "active"},
        {"type": "agreement", "id": "I1", "kind": "individual", "name": "[@click=app.quit]x[/]",
         "partner": "P2", "payment_schedule": [{"percent": 100, "days": 14}],
         "status": "draft"},
    ))
    set_login_for_tests("admin")
    with database.write() as session:
        ensure_current_user(session)
    database.close()
    return db_url



async def open_app(pilot: Pilot[None]) -> CrmApp:
    """Wait until the app's database is open."""
    app = pilot.app
    assert isinstance(app, CrmApp)
    await wait_until(pilot, lambda: app.db is not None)
    return app


Starter = Callable[[Pilot[None]], Awaitable[CrmApp]]
