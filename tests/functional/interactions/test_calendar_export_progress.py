"""Pilot: while the calendar's .ics export is written in its worker, a bar shows above the
key bar; it goes when the file is written (issue 24 §2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from crm_tui.app import CrmApp
from crm_tui.screens.shell.export_dialog import ExportDialog
from crm_tui.store.database import Database
from crm_tui.widgets.export_progress import ExportProgress
from tests.functional.interactions.test_calendar import data, open_calendar  # noqa: F401
from tests.functional.reports_ui.test_export_progress import _held
from tests.support.screen import wait_until


async def test_ics_export_shows_its_progress_until_written(
        data: Database, db_url: str, tmp_path: Path,  # noqa: F811 - the fixture imported
        monkeypatch: pytest.MonkeyPatch) -> None:
    import crm_tui.calendar_ics

    release = _held(monkeypatch, crm_tui.calendar_ics, "write_ics")
    target = tmp_path / "week.ics"
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_calendar(app, pilot)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one("#export-path", Input).value = str(target)
        app.screen.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(screen.query(ExportProgress)),
                         what="the export's progress bar")
        assert str(target) in screen.query_one(ExportProgress).description
        assert not target.exists()
        release.set()
        await wait_until(pilot, lambda: target.exists() and not screen.query(ExportProgress),
                         what="the export written and its bar gone")
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")
