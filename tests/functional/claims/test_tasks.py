"""Claim-plan tasks with Pilot: "My tasks" (overdue first, done and open-claim keys, the
supervisor's assignee filter), posting a claim with open tasks, tasks on the calendar."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from icalendar import Calendar
from sqlalchemy import text
from textual.widgets import Input, Select, TextArea

from crm_tui.app import CrmApp
from crm_tui.screens.claims.form import ClaimFormScreen
from crm_tui.screens.claims.my_tasks import MyTasksScreen
from crm_tui.screens.claims.post_confirm import PostOpenTasksDialog
from crm_tui.screens.interactions.calendar import CalendarScreen
from crm_tui.store.database import Database
from crm_tui.widgets.filter_choice import FilterChoice
from crm_tui.widgets.virtual_list import VirtualList
from tests.functional.claims.helpers import SIZE, prepare, wait_text, wait_until
from tests.support.screen import settle, wait_for_database
from tests.unit.claims.helpers import claim_record


def _task(name: str, due: str, assignee: str | None = None, done: bool = False) -> dict[str, Any]:
    task: dict[str, Any] = {"name": name, "description": f"do {name}", "due": due,
                            "done": done}
    if assignee:
        task["assignee"] = assignee
    return task


RECORDS = (
    claim_record("CL-1", tasks=[_task("Call the client", "2026-01-20"),  # ivanov: manager
                                _task("Check the stock", "2026-01-10", "ivanov"),
                                _task("Petrov's task", "2026-01-12", "petrov"),
                                _task("Finished", "2026-01-02", "ivanov", done=True)]),
    claim_record("CL-2", manager="petrov", tasks=[_task("Send the act", "2026-01-16", "ivanov")]),
)


def _rows(screen: MyTasksScreen) -> list[tuple[str, ...]]:
    listing = screen.query_one(VirtualList)
    return [tuple(row.cells) for index in range(listing.row_count or 0)
            if (row := listing.row_at(index)) is not None]


async def _open_my_tasks(pilot: Any) -> MyTasksScreen:
    await wait_for_database(pilot)
    await pilot.press("5")
    await wait_text(pilot, "Claims: 2")
    await pilot.press("t")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, MyTasksScreen))
    screen = pilot.app.screen
    assert isinstance(screen, MyTasksScreen)
    await wait_until(pilot, lambda: screen.query_one(VirtualList).row_count is not None
                     and len(_rows(screen)) == screen.query_one(VirtualList).row_count)
    return screen


async def test_my_tasks_overdue_first_done_and_open(db_url: str, fixed_now: datetime) -> None:
    prepare(db_url, *RECORDS)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_my_tasks(pilot)
        assert [(row[1], row[3]) for row in _rows(screen)] == [
            ("CL-1", "Check the stock"), ("CL-2", "Send the act"), ("CL-1", "Call the client")]
        assert _rows(screen)[0][0] == "! 2026-01-10"  # overdue, marked
        await wait_text(pilot, "My tasks: 3 open, 1 overdue")
        assert not screen.query_one("#tasks-assignee", FilterChoice).display  # a manager
        await pilot.press("space")  # the overdue one is done
        await wait_text(pilot, "My tasks: 2 open, 0 overdue")
        await wait_until(pilot, lambda: len(_rows(screen)) == 2)
        with app.db.read() as session:
            done = session.execute(text(
                "SELECT done, done_at FROM claim_task WHERE name = 'Check the stock'")).one()
        assert done[0] and str(done[1]).startswith("2026-01-15 10:30")
        with app.db.write() as session:  # another session finishes a task
            session.execute(text("UPDATE claim_task SET done = 1 WHERE name = 'Send the act'"))
        app.data_changed.publish(None)
        await wait_text(pilot, "My tasks: 1 open, 0 overdue")
        # The title's counts and the list's page are separate reads: wait for the row.
        listing = screen.query_one(VirtualList)
        await wait_until(pilot, lambda: [r[3] for r in _rows(screen)] == ["Call the client"]
                         and listing.highlighted_row is not None)
        await pilot.press("enter")  # opens the claim of the highlighted task
        await wait_until(pilot, lambda: isinstance(app.screen, ClaimFormScreen))
        assert app.screen.claim_key == "CL-1"  # type: ignore[attr-defined]


async def test_a_supervisor_filters_by_assignee(db_url: str, fixed_now: datetime) -> None:
    prepare(db_url, *RECORDS)
    database = Database.open(db_url)
    with database.write() as session:
        session.execute(text("UPDATE app_user SET role = 'supervisor' WHERE login = 'ivanov'"))
    database.close()
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_my_tasks(pilot)
        choice = screen.query_one("#tasks-assignee", FilterChoice)
        assert choice.display
        await wait_until(pilot, lambda: choice.option_count == 3)
        choice.value = "petrov"
        await wait_text(pilot, "Tasks of petrov: 1 open, 1 overdue")
        await wait_until(pilot, lambda: [r[3] for r in _rows(screen)] == ["Petrov's task"])
        choice.value = "*"
        await wait_text(pilot, "Everyone's tasks: 4 open, 2 overdue")


async def _resolved_form(pilot: Any, key: str) -> ClaimFormScreen:
    await wait_for_database(pilot)
    screen = ClaimFormScreen(claim_key=key)
    pilot.app.push_screen(screen)
    await wait_until(pilot, lambda: screen.data is not None and not screen._loading)
    screen.query_one("#claim-status", Select).value = "satisfied"
    screen.query_one("#claim-resolved", Input).value = "2026-01-15 10:00"
    screen.query_one("#claim-resolution", TextArea).text = "Goods replaced"
    await pilot.pause()
    return screen


async def test_posting_with_open_tasks_asks_first(db_url: str, fixed_now: datetime) -> None:
    prepare(db_url, *RECORDS)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _resolved_form(pilot, "CL-1")
        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(app.screen, PostOpenTasksDialog))
        await wait_text(pilot, "Open tasks in the action plan: 3. Post the claim anyway?")
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is screen)
        await settle(pilot)
        assert not screen.posted
        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(app.screen, PostOpenTasksDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.posted)


async def test_posting_with_open_tasks_forbidden_by_the_setting(
        db_url: str, fixed_now: datetime) -> None:
    prepare(db_url, *RECORDS)
    database = Database.open(db_url)
    with database.write() as session:
        session.execute(text("INSERT INTO setting (key, value) "
                             "VALUES ('claims_post_with_open_tasks', 'false')"))
    database.close()
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _resolved_form(pilot, "CL-1")
        await pilot.press("f9")
        await wait_text(pilot, "open tasks in the action plan: 3; the settings forbid")
        assert app.screen is screen and not screen.posted


async def test_tasks_on_the_calendar_and_in_its_ics(db_url: str, fixed_now: datetime,
                                                    tmp_path: Path) -> None:
    prepare(db_url, *RECORDS)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        await pilot.press("4")
        await wait_until(pilot, lambda: isinstance(app.screen, CalendarScreen)
                         and app.screen.loaded is not None)
        calendar = app.screen
        assert isinstance(calendar, CalendarScreen)
        # The week of 2026-01-12: open tasks due in it, whoever they are assigned to.
        assert [i.topic for i in calendar.items] == ["Task: Petrov's task",
                                                     "Task: Send the act"]
        await wait_text(pilot, "00:00 Task:")
        await pilot.press("right")  # the 16th: the task's day
        await settle(pilot)
        await pilot.press("enter")  # a task opens its claim
        await wait_until(pilot, lambda: isinstance(app.screen, ClaimFormScreen))
        assert app.screen.claim_key == "CL-2"  # type: ignore[attr-defined]
    from crm_tui.calendar_ics import export_ics

    database = Database.open(db_url)
    try:
        data = export_ics(database, datetime(2026, 1, 12), datetime(2026, 1, 19))
    finally:
        database.close()
    events = Calendar.from_ical(data).walk("VEVENT")
    tasks = [e for e in events if "task" in [str(c) for c in e.get("categories").cats]]
    assert [str(e.get("summary")) for e in tasks] == ["Task: Petrov's task", "Task: Send the act"]
    assert tasks[1].decoded("dtstart").isoformat() == "2026-01-16"  # an all-day event
