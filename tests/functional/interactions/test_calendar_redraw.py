"""Moving the calendar's selected day redraws only the two cells that changed (issue 24 §5):
the grid was a Rich Table in a Static, redrawn whole on every key (~10 KB over SSH)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import OptionList

from crm_tui.app import CrmApp
from crm_tui.screens.interactions.calendar import CalendarScreen
from crm_tui.store.database import Database
from crm_tui.widgets.calendar_grid import CalendarColumn, CalendarGrid
from tests.functional.interactions.helpers import settle, wait_db
from tests.unit.interactions.helpers import interaction, load


def record_refreshes(widget: Widget) -> list[tuple[Region, ...]]:
    """Every call of widget.refresh from now on, as the regions asked (() = everything)."""
    calls: list[tuple[Region, ...]] = []
    original = widget.refresh

    def refresh(*regions: Region, **options: Any) -> Widget:
        calls.append(regions)
        return original(*regions, **options)

    widget.refresh = refresh  # type: ignore[method-assign]
    return calls


def line_text(column: CalendarColumn, y: int) -> str:
    return "".join(segment.text for segment in column.render_line(y))


async def test_a_day_step_redraws_the_two_cells(db: Database, db_url: str,
                                                fixed_now: datetime) -> None:
    load(db, interaction("I1", "2026-01-15T09:00:00", topic="Call the plant"),
         interaction("I2", "2026-01-16T14:00:00", topic="Visit the warehouse", kind="meeting"))
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_db(app, pilot)
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        assert screen.loaded == (date(2026, 1, 12), date(2026, 1, 19))
        grid = screen.query_one(CalendarGrid)
        columns = list(grid.query(CalendarColumn))
        assert grid.selected == 3  # Thursday 15 January
        assert line_text(columns[3], 4).startswith("│! 09:00 Ca")  # cut to the cell
        assert line_text(columns[4], 4).startswith("│14:00 Visit")
        grid_calls = record_refreshes(grid)
        calls = [record_refreshes(column) for column in columns]
        await pilot.press("right")
        await settle(pilot)
        assert screen.selected == date(2026, 1, 16) and grid.selected == 4
        cell = columns[3].cell_region(0)
        assert cell.y == 3 and cell.height == 2 and cell.width == columns[3].size.width - 1
        assert calls[3] == [(cell,)] and calls[4] == [(columns[4].cell_region(0),)]
        assert not grid_calls and not any(calls[i] for i in (0, 1, 2, 5, 6))
        # The new cell has the cursor's colours, the old one no longer.
        cursor = columns[4].get_component_rich_style("calendar-grid--cursor")
        new = list(columns[4].render_line(3))[1]  # after the border
        old = list(columns[3].render_line(3))[1]
        assert new.style is not None and old.style is not None
        assert new.style.bgcolor == cursor.bgcolor != old.style.bgcolor
        # The day's list shows the new day's items.
        options = screen.query_one("#cal-day", OptionList)
        assert [option.id for option in options.options] == ["I2"]


async def test_a_step_between_two_empty_days_keeps_the_day_list(
        db: Database, db_url: str, fixed_now: datetime) -> None:
    load(db, interaction("I1", "2026-01-15T09:00:00"))
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_db(app, pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("right", "right")  # Saturday 17 January: no events
        await settle(pilot)
        options = app.screen.query_one("#cal-day", OptionList)
        calls = record_refreshes(options)
        await pilot.press("right")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        assert app.screen.selected == date(2026, 1, 18)
        assert "2026-01-18" in str(app.screen.query_one("#cal-date").render())
        assert not calls
        assert [option.id for option in options.options] == [None]  # "No events"
