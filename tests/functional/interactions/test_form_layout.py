"""The interaction form at 80×24: a focused date field shows its whole value (it showed
"026-12-03 08:00", scrolled by one character)."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.widgets import Input

from crm_tui.app import CrmApp
from crm_tui.screens.interactions.form import InteractionFormScreen
from crm_tui.store.database import Database
from tests.support.screen import screen_text, settle, wait_for_database, wait_until
from tests.unit.interactions.helpers import load


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_focused_date_shows_whole_value(db: Database, db_url: str, fixed_now: datetime,
                                              language: str) -> None:
    load(db)
    app = CrmApp(db_url, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_database(pilot)
        app.push_screen(InteractionFormScreen())
        await wait_until(pilot, lambda: isinstance(app.screen, InteractionFormScreen)
                         and bool(app.screen.query("#if-at")), what="the form")
        await settle(pilot)
        field = app.screen.query_one("#if-at", Input)
        field.focus()
        await pilot.press("end")
        await settle(pilot)
        await pilot.pause()
        assert field.value
        assert field.value in screen_text(app)
        # room for the value and the cursor after it
        assert field.content_region.width > len(field.value)
