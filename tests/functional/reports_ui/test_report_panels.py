"""Pilot tests: the Reports section, every panel, filters and presets, drill-down, export."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Select

from crm_tui.app import CrmApp
from crm_tui.reports.base import ReportParams
from crm_tui.reports.registry import available_reports, compute
from crm_tui.screens.reports.drilldown import ReportDrilldownScreen
from crm_tui.screens.reports.list import ReportsScreen
from crm_tui.screens.reports.panel import ReportPanelScreen
from crm_tui.screens.shell.export_dialog import ExportDialog
from crm_tui.store.database import Database
from crm_tui.widgets.virtual_list import VirtualList
from tests.functional.reports_ui.conftest import load_records, open_app
from tests.support.screen import settle, wait_until


def screen_text(app: CrmApp) -> str:
    """Everything the screen shows, as plain text."""
    from textual.widgets import Static

    parts: list[str] = []
    for widget in app.screen.query(Static):
        parts.append(str(widget.render()))
    table = app.screen.query(DataTable)
    for data_table in table:
        for row in range(data_table.row_count):
            parts.extend(str(c) for c in data_table.get_row_at(row))
    return "\n".join(parts)


async def open_report(pilot: Any, app: CrmApp, position: int) -> ReportPanelScreen:
    await pilot.press("7")
    await wait_until(pilot, lambda: isinstance(app.screen, ReportsScreen))
    await pilot.press("home")
    for _step in range(position):
        await pilot.press("down")
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ReportPanelScreen))
    panel = app.screen
    assert isinstance(panel, ReportPanelScreen)
    await wait_until(pilot, lambda: panel.result is not None)
    return panel


async def test_every_report_opens_with_its_numbers(small_url: str) -> None:
    app = CrmApp(small_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        for position, info in enumerate(available_reports()):
            panel = await open_report(pilot, app, position)
            assert panel.report == info.name
            assert panel.result is not None
            expected = compute(Database.open(small_url), info.name,
                               ReportParams(now=panel._requested.now if panel._requested
                                            else None))
            assert panel.result.rows == expected.rows
            table = panel.query_one(DataTable)
            assert table.row_count == len(expected.rows)
            assert info.title in str(panel.query_one("AppHeader Static").render())
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, ReportsScreen))


async def test_funnel_drilldown_counts_equal_reached(small_url: str) -> None:
    app = CrmApp(small_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        panel = await open_report(pilot, app, 0)
        assert panel.result is not None
        rows = panel.result.rows
        assert [r["reached"] for r in rows] == [29, 25, 22, 18, 10]  # spec's funnel.json
        table = panel.query_one(DataTable)
        table.focus()
        for number, row in enumerate(rows):
            table.move_cursor(row=number, column=2)  # "Reached"
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ReportDrilldownScreen))
            drill = app.screen
            assert isinstance(drill, ReportDrilldownScreen)
            await wait_until(pilot, lambda d=drill: d.count is not None)
            assert drill.count == row["reached"]
            assert drill.query_one(VirtualList).row_count == row["reached"]
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is panel)
        # "Current" of the contract stage.
        table.move_cursor(row=4, column=6)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReportDrilldownScreen))
        drill = app.screen
        assert isinstance(drill, ReportDrilldownScreen)
        await wait_until(pilot, lambda: drill.count is not None)
        assert drill.count == rows[4]["current"]


async def test_claim_structure_drilldown_and_open_record(small_url: str) -> None:
    app = CrmApp(small_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        panel = await open_report(pilot, app, 4)
        assert panel.report == "claim-structure" and panel.result is not None
        first = panel.result.rows[0]
        panel.query_one(DataTable).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReportDrilldownScreen))
        drill = app.screen
        assert isinstance(drill, ReportDrilldownScreen)
        await wait_until(pilot, lambda: drill.count is not None)
        assert drill.count == first["count"]
        listing = drill.query_one(VirtualList)
        await wait_until(pilot, lambda: listing.highlighted_row is not None)
        await pilot.press("enter")
        # The highlighted claim opens in its form.
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ClaimFormScreen")
        assert getattr(app.screen, "claim_key", None) == listing.highlighted_row.key


async def test_presets_and_filters_recompute(small_url: str) -> None:
    app = CrmApp(small_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        panel = await open_report(pilot, app, 1)  # deal effectiveness
        assert panel._requested == ReportParams()
        await pilot.press("p")  # this month (the clock is 2026-01-15)
        await wait_until(pilot, lambda: panel._requested is not None
                       and panel._requested.date_from == date(2026, 1, 1))
        assert panel._requested is not None
        assert panel._requested.date_to == date(2026, 1, 31)
        assert panel.query_one("#f-from", Input).value == "2026-01-01"
        await pilot.press("p")  # last month
        await wait_until(pilot, lambda: panel._requested is not None
                       and panel._requested.date_from == date(2025, 12, 1))
        await pilot.press("p", "p")  # quarter, year
        await wait_until(pilot, lambda: panel._requested is not None
                       and panel._requested.date_to == date(2026, 12, 31))
        await pilot.press("p")  # all
        await wait_until(pilot, lambda: panel._requested == ReportParams())
        # A typed date makes the period custom.
        panel.query_one("#f-from", Input).focus()
        await pilot.press(*"2025-11-01")
        await wait_until(pilot, lambda: panel._requested is not None
                       and panel._requested.date_from == date(2025, 11, 1))
        assert panel.query_one("#f-preset", Select).value == "custom"
        expected = compute(Database.open(small_url), "deal-effectiveness",
                           ReportParams(date_from=date(2025, 11, 1)))
        await wait_until(pilot, lambda: panel.result is not None
                       and panel.result.rows == expected.rows)
        # The manager filter.
        manager = panel.query_one("#f-manager", Select)
        await wait_until(pilot, lambda: len(manager._options) > 1)
        manager.value = "petrova"
        await wait_until(pilot, lambda: panel._requested is not None
                       and panel._requested.manager == "petrova")
        await wait_until(pilot, lambda: panel.result is not None
                       and [r["manager"] for r in panel.result.rows] in (["petrova"], []))
        # A mistyped date is reported, nothing recomputed.
        panel.query_one("#f-to", Input).value = "2025-13-99"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "YYYY-MM-DD" in screen_text(app))


async def test_export_csv(small_url: str, tmp_path: Path) -> None:
    app = CrmApp(small_url, language="en")
    target = tmp_path / "funnel.csv"
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        panel = await open_report(pilot, app, 0)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one("#export-path", Input).value = str(target)
        app.screen.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: target.exists())
        rows = list(csv.DictReader(target.open(encoding="utf-8")))
        assert panel.result is not None
        assert [int(r["reached"]) for r in rows] == [r["reached"] for r in panel.result.rows]
        # A second export to the same file is refused without "replace".
        before = target.read_text(encoding="utf-8")
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one("#export-path", Input).value = str(target)
        app.screen.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: any("exists" in str(n.message)
                                          for n in app._notifications))
        assert target.read_text(encoding="utf-8") == before


HOSTILE = "[@click=app.quit]x[/] \x1b]52;c;aGk=\x07"


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_hostile_names_show_literally(db_url: str, fixed_now: Any,
                                            size: tuple[int, int]) -> None:
    load_records(db_url, [
        {"type": "stage", "code": "a", "name": "[/]", "order": 10},
        {"type": "stage", "code": "b", "name": "b", "order": 20},
        {"type": "deal_kind", "code": "s", "name": "[b]kind[/b]", "stage_control": "strict",
         "stages": ["a", "b"]},
        {"type": "user", "login": "ivan", "name": "[red]Ivan[/red]"},
        {"type": "partner", "id": "P1", "name": "P1", "roles": ["client"]},
        {"type": "deal", "id": "D1", "name": "[@click=app.quit]deal[/]", "partner": "P1",
         "kind": "s", "manager": "ivan", "amount": "1234567.50",
         "created_at": "2025-12-01T10:00", "status": "open",
         "stages": [{"stage": "a", "at": "2025-12-01T10:00"},
                    {"stage": "b", "at": "2025-12-02T10:00"}]},
    ])
    # The importer refuses control characters; an older database may still hold them.
    import sqlite3

    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as raw:
        raw.execute("UPDATE classifier SET name = ? WHERE code = 'b'", (HOSTILE,))
        raw.execute("UPDATE partner SET name = ?", (HOSTILE,))
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=size) as pilot:
        await open_app(pilot)
        panel = await open_report(pilot, app, 0)
        text = screen_text(app)
        assert "[/]" in text
        assert "1,234,567.50" in text
        assert "\x1b" not in text
        panel.query_one(DataTable).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReportDrilldownScreen))
        drill = app.screen
        assert isinstance(drill, ReportDrilldownScreen)
        await wait_until(pilot, lambda: drill.count == 1)
        listing = drill.query_one(VirtualList)
        await wait_until(pilot, lambda: listing.highlighted_row is not None)
        row = listing.highlighted_row
        assert row is not None and "[@click=app.quit]deal[/]" in row.cells
        await settle(pilot)
        assert app.is_running
