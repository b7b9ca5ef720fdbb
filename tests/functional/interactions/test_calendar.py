"""The event calendar with Pilot: views, navigation, overdue marks, opening, .ics export."""

from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from textual.widgets import Checkbox, Input, Static

from crm_tui.app import CrmApp
from crm_tui.screens.interactions.calendar import CalendarScreen
from crm_tui.screens.interactions.form import InteractionFormScreen
from crm_tui.screens.shell.export_dialog import ExportDialog
from crm_tui.store.database import Database
from tests.functional.interactions.helpers import settle, wait_db
from tests.support.screen import screen_text, wait_until
from tests.unit.interactions.helpers import SAFE_HOSTILE, interaction, load


@pytest.fixture
def data(db: Database, fixed_now: datetime) -> Database:
    load(db,
         interaction("I1", "2026-01-15T09:00:00", topic=SAFE_HOSTILE),  # overdue today
         interaction("I2", "2026-01-16T14:00:00", kind="meeting"),
         interaction("I3", "2026-01-22T10:00:00"),
         interaction("I4", "2026-02-03T10:00:00"),
         interaction("I5", "2026-01-15T11:00:00", status="done"))
    return db


async def open_calendar(app: CrmApp, pilot) -> CalendarScreen:  # type: ignore[no-untyped-def]
    await wait_db(app, pilot)
    await pilot.press("4")
    await settle(pilot)
    assert isinstance(app.screen, CalendarScreen)
    return app.screen


def loaded(screen: CalendarScreen) -> list[str]:
    return [item.key for item in screen.items]


async def test_navigation(data: Database, db_url: str) -> None:
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_calendar(app, pilot)
        assert screen.loaded == (date(2026, 1, 12), date(2026, 1, 19))
        assert loaded(screen) == ["I1", "I2"]  # only this week, only in progress
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert loaded(screen) == ["I3"] and screen.selected == date(2026, 1, 22)
        await pilot.press("t", "d")
        await settle(pilot)
        assert screen.loaded == (date(2026, 1, 15), date(2026, 1, 16))
        assert loaded(screen) == ["I1"]
        await pilot.press("right")
        await settle(pilot)
        assert loaded(screen) == ["I2"]
        await pilot.press("m")
        await settle(pilot)
        assert loaded(screen) == ["I1", "I2", "I3", "I4"]  # the 6-week grid
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.selected == date(2025, 12, 1)
        await pilot.press("t")
        await settle(pilot)
        title = str(screen.query_one("#cal-title").render())
        assert "1 overdue" in title
        await pilot.press("enter")  # opens today's first item
        await settle(pilot)
        assert isinstance(app.screen, InteractionFormScreen)
        assert app.screen.interaction_key == "I1"


async def test_a_slow_week_never_replaces_a_later_one(
        data: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the week of 19 Jan hangs until the weeks of 26 Jan and 2 Feb are shown: when
    it comes back at last, the screen still shows 2 Feb's week and its items."""
    from crm_tui.store import repo_calendar

    real = repo_calendar.calendar_period
    started, release, returned = threading.Event(), threading.Event(), threading.Event()
    slow: list[datetime] = []

    def slow_first(session, start, end, now):  # type: ignore[no-untyped-def]
        if not slow:
            slow.append(start)
            started.set()
            assert release.wait(30)
            try:
                return real(session, start, end, now)
            finally:
                returned.set()
        return real(session, start, end, now)

    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_calendar(app, pilot)
        monkeypatch.setattr(repo_calendar, "calendar_period", slow_first)
        await pilot.press("right_square_bracket")  # 19 Jan: its read hangs
        await wait_until(pilot, started.is_set, what="the slow read started")
        await pilot.press("right_square_bracket", "right_square_bracket")  # 26 Jan, 2 Feb
        await wait_until(pilot, lambda: screen.loaded == (date(2026, 2, 2), date(2026, 2, 9)),
                         what="the week of 2 Feb shown")
        assert slow == [datetime(2026, 1, 19)]
        release.set()
        await wait_until(pilot, returned.is_set, what="the slow read returned")
        await settle(pilot)
        assert screen.loaded == (date(2026, 2, 2), date(2026, 2, 9))
        assert loaded(screen) == ["I4"]
        assert screen.selected == date(2026, 2, 5)
        assert "2026-02-02 – 2026-02-08" in screen_text(app)


async def test_export_asks_where_and_never_replaces_a_file_unasked(
        data: Database, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calendar(app, pilot)
        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        field = dialog.query_one("#export-path", Input)
        default = tmp_path / "crm-calendar-2026-01-12-week.ics"
        assert field.value == str(default)
        field.value = str(tmp_path / "week.txt")  # not an .ics: said next to the field
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert ".ics" in str(dialog.query_one("#export-error", Static).render())
        field.value = str(default)
        await pilot.press("enter")
        await settle(pilot, 15)
        events = Calendar.from_ical(default.read_bytes()).walk("VEVENT")
        assert sorted(str(e["uid"]) for e in events) == ["I1@crm-tui", "I2@crm-tui"]
        # The same file again: refused unless "replace" is ticked; Esc writes nothing.
        default.write_bytes(b"mine")
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot, 15)
        assert default.read_bytes() == b"mine"
        assert any("exists" in str(n.message) for n in app._notifications)
        await pilot.press("x")
        await settle(pilot)
        app.screen.query_one("#export-overwrite", Checkbox).value = True
        app.screen.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await settle(pilot, 15)
        assert default.read_bytes().startswith(b"BEGIN:VCALENDAR")
        await pilot.press("x")
        await settle(pilot)
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "other.ics")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        assert not (tmp_path / "other.ics").exists()


async def test_day_and_week_show_the_working_hours(db: Database, db_url: str,
                                                   fixed_now: datetime) -> None:
    """The setting working_hours: the day view has a line per working hour, the titles name
    the hours, and an item outside them is dimmed."""
    from crm_tui.store.settings import set_setting

    load(db, interaction("I1", "2026-01-15T11:00:00", topic="In hours"),
         interaction("I2", "2026-01-15T19:30:00", topic="Late call"))
    with db.write() as s:
        set_setting(s, "working_hours", [10, 13])
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_calendar(app, pilot)
        assert "working hours 10:00–13:00" in screen_text(app)
        day = screen._cell(date(2026, 1, 15), screen.items, datetime(2026, 1, 15, 10, 30))
        late = next(span for span in day.spans
                    if "Late call" in day.plain[span.start:span.end])
        assert "dim" in str(late.style)
        await pilot.press("d")
        await settle(pilot)
        text = screen_text(app)
        # An empty working hour shows its time; the hours outside the working ones do not.
        assert "10:00 ···" in text and "12:00 ···" in text
        assert "09:00 ···" not in text and "13:00 ···" not in text
        grid = [line.split("│")[1].strip() for line in text.splitlines()
                if line.startswith("│")]  # the grid's cell, not the day's list beside it
        assert grid[grid.index("15.01"):] == ["15.01", "10:00 ···", "11:00 In hours",
                                             "12:00 ···", "19:30 Late call"]


def _busy_day(db: Database, day: str, count: int, start_hour: int = 8) -> None:
    """`count` in-progress interactions on `day`, ten seconds apart from `start_hour`."""
    load(db, *(interaction(f"B{n:05d}", f"{day}T{start_hour + n // 300:02d}:"
                                        f"{n // 5 % 60:02d}:{n % 5 * 10:02d}")
               for n in range(count)),
         interaction("LATE", "2026-01-29T10:00:00"))


def test_a_busy_period_is_counted_whole_and_read_a_few_a_day(db: Database,
                                                             fixed_now: datetime) -> None:
    """Every day is counted, only its first items are read: a month used to be read up to
    5,000 items, and a busy one showed its later days empty."""
    from crm_tui.store.repo_calendar import calendar_day, calendar_period

    _busy_day(db, "2026-01-20", 5_100, start_hour=0)  # more than the old 5,000 before LATE
    with db.read() as session:
        period = calendar_period(session, datetime(2026, 1, 19), datetime(2026, 2, 2),
                                 fixed_now, per_day=50)
        day_list = calendar_day(session, date(2026, 1, 20))
        whole_day = calendar_day(session, date(2026, 1, 20), limit=10_000)
    assert period.counts == {date(2026, 1, 20): 5_100, date(2026, 1, 29): 1}
    assert period.total == 5_101
    days = [item.at.date() for item in period.items]
    assert days.count(date(2026, 1, 20)) == 50 and days.count(date(2026, 1, 29)) == 1
    assert [item.key for item in period.items][:2] == ["B00000", "B00001"]  # in time order
    assert not period.is_whole(date(2026, 1, 20)) and period.is_whole(date(2026, 1, 29))
    assert period.overdue == 0  # the fixed clock is 15 Jan, before all of them
    assert len(day_list) == 500  # the day list's longest (repo_calendar.DAY_LIST)
    assert len(whole_day) == 5_100
    assert "LATE" in [item.key for item in period.items]


async def test_a_busy_day_shows_its_count_and_its_whole_list(
        db: Database, db_url: str, fixed_now: datetime, monkeypatch: pytest.MonkeyPatch) -> None:
    """A day holding more than the period read of it is read on its own when selected, up to
    the list's longest (here 60 of 80: the list then says how many more)."""
    from crm_tui.store import repo_calendar

    real = repo_calendar.calendar_day
    monkeypatch.setattr(repo_calendar, "calendar_day",
                        lambda session, day: real(session, day, limit=60))
    _busy_day(db, "2026-01-16", 80)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_calendar(app, pilot)
        await pilot.press("m")  # January: the busy day and the one after it
        await settle(pilot)
        assert screen.period.counts[date(2026, 1, 16)] == 80
        assert "81 events" in screen_text(app)
        assert "+78 more" in screen_text(app)  # two shown in a month's cell
        await pilot.press("right")  # the 16th: its list is read whole
        await wait_until(pilot, lambda: date(2026, 1, 16) in screen.whole_days,
                         what="the busy day read")
        await settle(pilot)
        options = screen.query_one("#cal-day")
        assert options.option_count == 61
        assert "+20 more" in str(options.get_option_at_index(60).prompt)
        await pilot.press("right", "right", "right", "right", "right", "right", "right",
                          "right", "right", "right", "right", "right", "right")  # the 29th
        await settle(pilot)
        assert screen.selected == date(2026, 1, 29)
        assert [o.id for o in options.options] == ["LATE"]
