"""Snapshots of the main screen in English and Russian: fixed clock, seeded data, no blink."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crm_tui.app import CrmApp
from crm_tui.exchange.importer import import_file
from crm_tui.store.database import Database
from tests.conftest import small_jsonl_path
from tests.support.login import set_login_for_tests
from tests.support.screen import settle, wait_for_database


def seeded_app(tmp_path: Path, language: str) -> CrmApp:
    url = f"sqlite:///{tmp_path / 'snap.sqlite3'}"
    database = Database.open(url)
    import_file(database, small_jsonl_path())
    database.close()
    set_login_for_tests("petrova")
    app = CrmApp(url, language=language)
    app.db_label = "/srv/crm/office.sqlite3"  # the tmp path differs on every run
    return app


@pytest.mark.parametrize("language", ["en", "ru"])
def test_home_screen(snap_compare: Any, tmp_path: Path, fixed_now: Any, language: str) -> None:
    async def ready(pilot: Any) -> None:
        await wait_for_database(pilot)
        await settle(pilot)

    assert snap_compare(seeded_app(tmp_path, language), terminal_size=(120, 36), run_before=ready)
