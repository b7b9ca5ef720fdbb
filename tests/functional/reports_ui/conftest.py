"""Helpers for the report panel Pilot tests: an app on the spec's small data."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from textual.pilot import Pilot

from crm_tui.app import CrmApp
from crm_tui.store.database import Database
from tests.conftest import small_jsonl_path
from tests.support.screen import wait_until


@pytest.fixture
def small_url(db_url: str, fixed_now: datetime) -> str:
    """A database file holding the spec's small.jsonl (closed again before the app opens it)."""
    from crm_tui.exchange.importer import import_file

    database = Database.open(db_url)
    import_file(database, small_jsonl_path())
    database.close()
    return db_url


def load_records(db_url: str, records: list[dict[str, Any]]) -> None:
    """Import exchange records into the database at `db_url`."""
    from crm_tui.exchange.importer import import_lines

    database = Database.open(db_url)
    import_lines(database, [json.dumps(record, ensure_ascii=False) for record in records])
    database.close()



async def open_app(pilot: Pilot[Any]) -> CrmApp:
    app = pilot.app
    assert isinstance(app, CrmApp)
    await wait_until(pilot, lambda: app.db is not None)
    return app
