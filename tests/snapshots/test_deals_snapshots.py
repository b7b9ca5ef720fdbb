"""Snapshots of the deals board in English and Russian: fixed clock, small data, no blink."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crm_tui.app import CrmApp
from crm_tui.store.database import Database
from tests.functional.deals.conftest import open_deals
from tests.support.login import set_login_for_tests
from tests.support.screen import settle
from tests.unit.deals.data import seed


def board_app(tmp_path: Path, language: str) -> CrmApp:
    url = f"sqlite:///{tmp_path / 'snap.sqlite3'}"
    database = Database.open(url)
    seed(database)
    database.close()
    set_login_for_tests("ivanov")
    app = CrmApp(url, language=language)
    app.db_label = "/srv/crm/office.sqlite3"  # the tmp path differs on every run
    return app


@pytest.mark.parametrize("language", ["en", "ru"])
def test_deals_board(snap_compare: Any, tmp_path: Path, fixed_now: Any, language: str) -> None:
    app = board_app(tmp_path, language)

    async def ready(pilot: Any) -> None:
        await open_deals(app, pilot)
        await pilot.press("right")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 36), run_before=ready)
