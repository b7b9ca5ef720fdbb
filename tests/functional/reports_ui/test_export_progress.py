"""Pilot: while a list export (Ctrl+X) or a report export is written in its worker, a bar
shows above the key bar; it goes when the file is written (issue 24 §2)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from crm_tui.app import CrmApp
from crm_tui.reports.list_export import counting
from crm_tui.screens.shell.export_dialog import ExportDialog
from crm_tui.widgets.export_progress import ExportProgress
from crm_tui.widgets.virtual_list import VirtualList
from tests.functional.reports_ui.conftest import open_app
from tests.functional.reports_ui.test_report_panels import open_report
from tests.support.screen import wait_until


def _held(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> threading.Event:
    """Make `module.name` (the function writing the file) wait for the returned event
    before it writes, so the test sees the export while it runs."""
    release = threading.Event()
    write: Callable[..., Any] = getattr(module, name)

    def held(*args: Any, **kwargs: Any) -> Any:
        assert release.wait(30), "the test never let the export go on"
        return write(*args, **kwargs)

    monkeypatch.setattr(module, name, held)
    return release


def _bars(app: CrmApp) -> list[ExportProgress]:
    return list(app.screen.query(ExportProgress))


async def _export_to(pilot: Any, app: CrmApp, key: str, target: Path) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
    app.screen.query_one("#export-path", Input).value = str(target)
    app.screen.query_one("#export-path", Input).focus()
    await pilot.press("enter")


async def test_list_export_shows_its_progress_until_written(
        small_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from crm_tui.reports import list_export

    release = _held(monkeypatch, list_export, "write_list")
    target = tmp_path / "partners.csv"
    app = CrmApp(small_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        await pilot.press("1")
        await wait_until(pilot, lambda: any(v.source is not None
                                            for v in app.screen.query(VirtualList)))
        listing = next(v for v in app.screen.query(VirtualList) if v.source is not None)
        await _export_to(pilot, app, "ctrl+x", target)
        await wait_until(pilot, lambda: bool(_bars(app)), what="the export's progress bar")
        bar = _bars(app)[0]
        assert str(target) in bar.description
        assert listing.source is not None
        assert bar.bar.total == listing.source.count() > 0  # rows out of the list's rows
        assert not target.exists()
        release.set()
        await wait_until(pilot, lambda: target.exists() and not _bars(app),
                         what="the export written and its bar gone")
    assert len(target.read_text(encoding="utf-8-sig").splitlines()) == bar.bar.total + 1


async def test_report_export_shows_its_progress_until_written(
        small_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from crm_tui.screens.reports import panel_export

    release = _held(monkeypatch, panel_export, "write_report")
    target = tmp_path / "funnel.xlsx"
    app = CrmApp(small_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        await open_report(pilot, app, 0)
        await _export_to(pilot, app, "e", target)
        await wait_until(pilot, lambda: bool(_bars(app)), what="the export's progress bar")
        assert str(target) in _bars(app)[0].description
        release.set()
        await wait_until(pilot, lambda: target.exists() and not _bars(app),
                         what="the export written and its bar gone")


def test_counting_tells_the_rows_given_every_page() -> None:
    told: list[int] = []
    rows = [[str(number)] for number in range(7)]
    assert list(counting(rows, told.append, every=3)) == rows
    assert told == [3, 6]
