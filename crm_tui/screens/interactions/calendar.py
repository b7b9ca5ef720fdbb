"""The Calendar section (Календарь событий): in-progress interactions and open claim-plan
tasks as a day, week or month grid. Only the visible period is read. Overdue items are
marked; arrows move the selected day, [ and ] the period, t goes to today, Enter opens the
day's items (a task opens its claim), x writes an .ics."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from crm_tui.domain import clock
from crm_tui.domain.enums import LABELS
from crm_tui.domain.formatting import show_date, show_month
from crm_tui.domain.interactions import (
    CalendarView,
    WorkDay,
    grid_start,
    is_overdue,
    period_bounds,
    shift_period,
)
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.navigation import new_record, open_record
from crm_tui.screens.shell.base import SectionScreen
from crm_tui.store.repo_calendar import CalendarPeriod
from crm_tui.store.repo_interactions_lists import CalendarItem
from crm_tui.widgets.calendar_grid import CalendarGrid
from crm_tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm_tui.store.database import Database

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
PER_CELL = {CalendarView.DAY: 40, CalendarView.WEEK: 8, CalendarView.MONTH: 2}


class CalendarScreen(SectionScreen):
    """The event calendar."""

    SECTION = "calendar"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "view('day')", N_("Day"), id="calendar.day"),
        Binding("w", "view('week')", N_("Week"), id="calendar.week"),
        Binding("m", "view('month')", N_("Month"), id="calendar.month"),
        Binding("left_square_bracket", "period(-1)", N_("Previous"), id="calendar.previous"),
        Binding("right_square_bracket", "period(1)", N_("Next"), id="calendar.next"),
        Binding("t", "today", N_("Today"), id="calendar.today"),
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("ctrl+up", "move(-7)", show=False),
        Binding("ctrl+down", "move(7)", show=False),
        Binding("n", "new", N_("New"), id="calendar.new"),
        Binding("x", "export", N_("Export .ics"), id="calendar.export"),
    ]
    CSS_PATH = "interactions.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.period_view = CalendarView.WEEK
        self.selected = clock.now().date()
        self.items: list[CalendarItem] = []
        self.period = CalendarPeriod([])  # every day's count, and the items read of it
        self.whole_days: dict[date, list[CalendarItem]] = {}  # busy days read on their own
        self.loaded: tuple[date, date] | None = None
        self.day = WorkDay()  # the working hours (settings), read with the items

    def compose_body(self) -> ComposeResult:
        yield StatusLine(id="cal-title")
        with Horizontal(id="cal-body"):
            yield CalendarGrid(id="cal-grid")
            # The selected day's date is a line of its own, not the list's border title:
            # a new border title repaints the whole list on every move of the selection.
            with Vertical(id="cal-side"):
                yield StatusLine(id="cal-date")
                yield OptionList(id="cal-day")

    @classmethod
    def warm(cls, db: Database) -> None:
        from crm_tui.store.repo_calendar import calendar_period

        start, end = period_bounds(CalendarView.WEEK, clock.now().date())
        with db.read() as session:
            calendar_period(session, datetime.combine(start, time()),
                            datetime.combine(end, time()), clock.now())

    def on_database_ready(self) -> None:
        self._load()
        self.query_one("#cal-day", OptionList).focus()

    def on_data_changed(self) -> None:
        self._load()

    def on_screen_resume(self) -> None:
        if self.crm.db is not None and self.returning:
            self._load()

    # ------------------------------------------------------------------- data
    def _period(self) -> tuple[date, date]:
        if self.period_view is CalendarView.MONTH:
            start = grid_start(self.period_view, self.selected)
            return start, start + timedelta(days=42)
        return period_bounds(self.period_view, self.selected)

    def _load(self) -> None:
        start, end = self._period()

        def read(session: Session) -> tuple[tuple[date, date], CalendarPeriod, WorkDay]:
            from crm_tui.store.repo_calendar import calendar_period
            from crm_tui.store.setting_defaults import work_day

            return (start, end), calendar_period(
                session, datetime.combine(start, time()), datetime.combine(end, time()),
                clock.now()), work_day(session)

        # A newer period asked for while this one is read wins (a slow week coming back
        # after a faster later one is dropped).
        self.load_data(read, self._loaded)

    def _loaded(self, loaded: tuple[tuple[date, date], CalendarPeriod, WorkDay]) -> None:
        self.loaded, self.period, self.day = loaded
        self.items = [task_marked(item) for item in self.period.items]
        self.whole_days = {}
        self._redraw()

    def _load_day(self, day: date) -> None:
        """Read every item of `day`: it holds more than the period read of it."""
        from crm_tui.store.repo_calendar import calendar_day

        self.load_data(lambda session: (day, calendar_day(session, day)), self._day_loaded)

    def _day_loaded(self, loaded: tuple[date, list[CalendarItem]]) -> None:
        day, items = loaded
        self.whole_days[day] = [task_marked(item) for item in items]
        if day == self.selected:
            self._show_day(clock.now())

    def _working(self, moment: datetime) -> bool:
        return self.day.start_hour <= moment.hour < self.day.end_hour

    # ---------------------------------------------------------------- drawing
    def _by_day(self) -> dict[date, list[CalendarItem]]:
        days: dict[date, list[CalendarItem]] = defaultdict(list)
        for item in self.items:
            days[item.at.date()].append(item)
        return days

    def _item_text(self, item: CalendarItem, now: datetime) -> Text:
        """An item's line: overdue ones red and marked; outside the working hours, dim."""
        style = "red" if is_overdue("in_progress", item.at, item.end, now) else ""
        mark = "! " if style else ""
        if not self._working(item.at) and self.period_view is not CalendarView.MONTH:
            style = f"{style} dim".strip()
        return Text(f"{mark}{item.at:%H:%M} {safe_display(item.topic)}", style=style,
                    no_wrap=True, overflow="ellipsis")

    def _redraw(self) -> None:
        """Draw the loaded period: the title, every cell of the grid, the selected day."""
        now = clock.now()
        self._show_title(now)
        first, last = self._period()
        columns = 1 if self.period_view is CalendarView.DAY else 7
        headers = [Text(_(WEEKDAYS[(first + timedelta(days=i)).weekday()]))
                   for i in range(columns)]
        days = self._by_day()
        cells = [self._cell(day, days.get(day, []), now)
                 for day in (first + timedelta(days=n) for n in range((last - first).days))]
        self.query_one(CalendarGrid).show(headers, cells, (self.selected - first).days)
        self._show_day(now)

    def _move_selection(self) -> None:
        """The selected day moved inside the loaded period: redraw only what changed (the
        two cells, the day's line and, when they differ, its items)."""
        now = clock.now()
        self._show_title(now)
        self.query_one(CalendarGrid).select((self.selected - self._period()[0]).days)
        self._show_day(now)

    def _show_title(self, now: datetime) -> None:
        start, end = period_bounds(self.period_view, self.selected)
        title = {CalendarView.DAY: show_date(start),
                 CalendarView.WEEK: f"{show_date(start)} – {show_date(end - timedelta(days=1))}",
                 CalendarView.MONTH: show_month(start)}[self.period_view]
        # Counted in the database: a busy period is not read whole (repo_calendar.py).
        _update(self.query_one("#cal-title", StatusLine), Text(
            _("{view}: {period} · {count} events · {overdue} overdue").format(
                view=_(self.period_view.value.capitalize()), period=title,
                count=max(self.period.total, len(self.items)), overdue=self.period.overdue)
            + self._hours_note()))

    def _hours_note(self) -> str:
        if self.period_view is CalendarView.MONTH:
            return ""
        return " · " + _("working hours {start}:00–{end}:00").format(
            start=self.day.start_hour, end=self.day.end_hour)

    def _cell(self, day: date, items: list[CalendarItem], now: datetime) -> Text:
        # The grid marks the selected day itself (moving it redraws two cells, not all).
        style = "bold" if day == now.date() else ""
        muted = self.period_view is CalendarView.MONTH and day.month != self.selected.month
        cell = Text(f"{day:%d.%m}", style=style or ("dim" if muted else ""))
        if self.period_view is CalendarView.DAY:
            return self._day_cell(cell, items, now)
        limit = PER_CELL[self.period_view]
        for item in items[:limit]:
            cell.append("\n")
            cell.append_text(self._item_text(item, now))
        hidden = max(self.period.counts.get(day, 0), len(items)) - min(limit, len(items))
        if hidden > 0:
            cell.append("\n" + _("+{count} more").format(count=hidden), style="dim")
        return cell

    def _day_cell(self, cell: Text, items: list[CalendarItem], now: datetime) -> Text:
        """The day view: a line per working hour, holding that hour's items (an empty hour
        shows its time); items before or after the working hours above or below them."""
        start, end = self.day.start_hour, self.day.end_hour
        lines: list[Text] = [self._item_text(i, now) for i in items if i.at.hour < start]
        for hour in range(start, end):
            here = [self._item_text(i, now) for i in items if i.at.hour == hour]
            lines += here or [Text(f"{hour:02d}:00 ···", style="dim")]
        lines += [self._item_text(i, now) for i in items if i.at.hour >= end]
        limit = PER_CELL[CalendarView.DAY]
        for line in lines[:limit]:
            cell.append("\n")
            cell.append_text(line)
        # What did not fit, and what of the day was not read (the day list shows it all).
        day = items[0].at.date() if items else self.selected
        hidden = max(len(lines) - limit, 0) + max(
            self.period.counts.get(day, 0) - len(items), 0)
        if hidden > 0:
            cell.append("\n" + _("+{count} more").format(count=hidden), style="dim")
        return cell

    def _show_day(self, now: datetime) -> None:
        _update(self.query_one("#cal-date", StatusLine), Text(show_date(self.selected)))
        items = self.whole_days.get(self.selected) or self._by_day().get(self.selected, [])
        if self.selected not in self.whole_days and not self.period.is_whole(self.selected):
            self._load_day(self.selected)  # shows what was read meanwhile
        shown: list[Option] = []
        for item in items:
            # The item's own colour (red when overdue) for its line only: its kind and
            # partner after it in plain dim (dim red on the dark ground was unreadable).
            text = Text(no_wrap=True, overflow="ellipsis")
            text.append_text(self._item_text(item, now))
            text.append(f"  {_(LABELS[item.kind])}", style="dim")
            if item.partner_name:
                text.append(f" · {safe_display(item.partner_name)}", style="dim")
            shown.append(Option(text, id=item.key))
        if not items:
            shown.append(Option(Text(_("No events"), style="dim"), disabled=True))
        more = self.period.counts.get(self.selected, 0) - len(items)
        if more > 0 and self.selected in self.whole_days:  # past the list's longest
            shown.append(Option(Text(_("+{count} more").format(count=more), style="dim"),
                                disabled=True))
        options = self.query_one("#cal-day", OptionList)
        same = [(o.id, str(o.prompt)) for o in shown] == [
            (o.id, str(o.prompt)) for o in options.options]
        if same and options.option_count:
            return  # two days without events: nothing to redraw
        options.clear_options()
        options.add_options(shown)
        if items:
            options.highlighted = 0

    # ---------------------------------------------------------------- actions
    def _go(self, day: date) -> None:
        self.selected = day
        if self.loaded == self._period():
            self._move_selection()
        else:
            self._load()

    def action_view(self, view: str) -> None:
        self.period_view = CalendarView(view)
        self._load()

    def action_period(self, steps: int) -> None:
        self._go(shift_period(self.period_view, self.selected, steps))

    def action_today(self) -> None:
        self._go(clock.now().date())

    def action_move(self, days: int) -> None:
        self._go(self.selected + timedelta(days=days))

    @on(OptionList.OptionSelected, "#cal-day")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            known = [*self.items, *self.whole_days.get(self.selected, [])]
            chosen = next((i for i in known if i.key == event.option.id), None)
            kind, key = chosen.record if chosen else ("interaction", str(event.option.id))
            open_record(self, kind, key)

    def action_new(self) -> None:
        new_record(self, "interaction")

    def action_export(self) -> None:
        """Ask where to write the shown period's .ics file, then write it."""
        from crm_tui.screens.shell.export_dialog import ExportDialog

        start, end = period_bounds(self.period_view, self.selected)
        default = Path.cwd() / f"crm-calendar-{start:%Y-%m-%d}-{self.period_view.value}.ics"

        def chosen(answer: tuple[Path, bool] | None) -> None:
            if answer is not None:
                self._export(start, end, answer[0], answer[1])

        self.app.push_screen(ExportDialog(default, title=_("Export the calendar"),
                                          prompt=_("File (.ics):"), check=check_ics_name),
                             chosen)

    @work(thread=True, exclusive=True, group="calendar-export")
    def _export(self, start: date, end: date, path: Path, overwrite: bool) -> None:
        from crm_tui.calendar_ics import export_ics, write_ics
        from crm_tui.screens.shell.export_dialog import ExportError, check_destination
        from crm_tui.widgets.export_progress import export_progress

        try:
            check_destination(path, overwrite)
            # The bar pulses while the period is read and written (a year of a big office).
            with export_progress(self, _("Exporting the calendar to {path}").format(path=path)):
                data = export_ics(self.db, datetime.combine(start, time()),
                                  datetime.combine(end, time()))
                write_ics(str(path), data)
        except ExportError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        except OSError as error:
            self.app.call_from_thread(
                self.notify, _("cannot write {path}: {reason}").format(
                    path=path, reason=error.strerror or error),
                severity="error", markup=False)
            return
        self.app.call_from_thread(
            self.notify, _("{count} events written to {path}").format(
                count=data.count(b"BEGIN:VEVENT"), path=path), markup=False)


def _update(line: StatusLine, text: Text) -> None:
    """Repaint `line` only when what it shows differs."""
    if line.text != text:
        line.update(text)


def task_marked(item: CalendarItem) -> CalendarItem:
    """A claim-plan task shows as one: "Task: NAME" (the .ics marks them the same way)."""
    if item.kind != "task":
        return item
    return replace(item, topic=_("Task: {name}").format(name=item.topic))


def check_ics_name(path: Path) -> None:
    """Raises ExportError unless `path` names an .ics file."""
    from crm_tui.screens.shell.export_dialog import ExportError

    if path.suffix.lower() != ".ics":
        raise ExportError(_("Use a file name ending in .ics"))
