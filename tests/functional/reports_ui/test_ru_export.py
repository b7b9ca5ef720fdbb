"""Pilot: the report export dialog offers CSV for a spreadsheet, ticked in Russian
(semicolons, a BOM, column titles, decimal commas), not ticked in English (issue 22 §4)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from textual.widgets import Checkbox, Input

from crm_tui.app import CrmApp
from crm_tui.screens.shell.export_dialog import ExportDialog
from tests.functional.reports_ui.conftest import open_app
from tests.functional.reports_ui.test_report_panels import open_report
from tests.support.screen import wait_until


async def _export(app: CrmApp, pilot, target: Path, tick: bool | None) -> bool:  # type: ignore[no-untyped-def]
    await pilot.press("e")
    await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
    box = app.screen.query_one("#export-spreadsheet", Checkbox)
    offered = box.value
    if tick is not None:
        box.value = tick
    app.screen.query_one("#export-path", Input).value = str(target)
    app.screen.query_one("#export-path", Input).focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: target.exists())
    return offered


async def test_russian_export_is_for_a_spreadsheet_by_default(small_url: str,
                                                             tmp_path: Path) -> None:
    app = CrmApp(small_url, language="ru")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        await open_report(pilot, app, 0)
        assert await _export(app, pilot, tmp_path / "ru.csv", None) is True
        assert await _export(app, pilot, tmp_path / "plain.csv", False) is True
    raw = (tmp_path / "ru.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Этап", "Наименование"]
    assert any("," in cell for cell in rows[1])  # money with a decimal comma
    plain = (tmp_path / "plain.csv").read_text(encoding="utf-8")
    assert plain.startswith("stage,name,")


async def test_english_export_stays_plain_by_default(small_url: str, tmp_path: Path) -> None:
    app = CrmApp(small_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        await open_report(pilot, app, 0)
        assert await _export(app, pilot, tmp_path / "en.csv", None) is False
    assert (tmp_path / "en.csv").read_text(encoding="utf-8").startswith("stage,name,")
