"""Snapshots of the funnel panel in English and Russian (fixed clock, the spec's small data)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from crm_tui.app import CrmApp
from crm_tui.store.database import Database
from tests.conftest import small_jsonl_path
from tests.support.screen import settle, wait_for_database, wait_until


def _small_url(tmp_path: Path) -> str:
    from crm_tui.exchange.importer import import_file

    url = f"sqlite:///{tmp_path / 'small.sqlite3'}"
    database = Database.open(url)
    import_file(database, small_jsonl_path())
    database.close()
    return url


async def _open_funnel(pilot: Pilot[Any]) -> None:
    from crm_tui.screens.reports.list import ReportsScreen
    from crm_tui.screens.reports.panel import ReportPanelScreen

    app = pilot.app
    await wait_for_database(pilot)
    await pilot.press("7")
    await wait_until(pilot, lambda: isinstance(app.screen, ReportsScreen), what="reports shown")
    await settle(pilot)
    await pilot.press("home", "enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ReportPanelScreen)
                     and app.screen.result is not None, what="the funnel computed")
    await settle(pilot)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_funnel_panel(snap_compare: Any, tmp_path: Path, fixed_now: datetime,
                      language: str) -> None:
    app = CrmApp(_small_url(tmp_path), language=language)
    app.db_label = "small.sqlite3"  # the tmp path differs per run
    app.user_login = "manager"
    assert snap_compare(app, terminal_size=(120, 36), run_before=_open_funnel)
