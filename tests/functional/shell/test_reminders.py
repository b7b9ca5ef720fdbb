"""Reminders while the app is open (crm_tui/reminders.py): what comes due is told once,
with the terminal bell when the setting asks for it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crm_tui.app import CrmApp
from crm_tui.store.database import Database
from crm_tui.store.settings import set_setting
from tests.support.clock import set_fixed_now
from tests.support.login import set_login_for_tests
from tests.support.screen import settle, wait_for_database, wait_until
from tests.unit.desktop.helpers import load_day


class Recording(CrmApp):
    """The app, keeping what it notifies and how often it rings (through public methods)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.said: list[tuple[str, str]] = []
        self.rings = 0

    def notify(self, message: str, **options: Any) -> None:  # type: ignore[override]
        self.said.append((str(options.get("title", "")), str(message)))
        super().notify(message, **options)

    def bell(self) -> None:
        self.rings += 1


def reminders_of(app: Recording) -> list[str]:
    return [message for title, message in app.said if title == "Reminder: due now"]


async def test_what_comes_due_is_told_once(db: Database, db_url: str,
                                           fixed_now: datetime) -> None:
    load_day(db)
    set_login_for_tests("ivanov")
    app = Recording(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_database(pilot)
        await settle(pilot)
        app.check_reminders()  # at the start: what was overdue already is not "coming due"
        await settle(pilot)
        assert reminders_of(app) == []
        set_fixed_now(datetime(2026, 1, 15, 11, 0))  # I4's snooze ends
        app.check_reminders()
        await wait_until(pilot, lambda: reminders_of(app))
        assert reminders_of(app) == ["Interaction I4: Snoozed call"]
        app.check_reminders()
        await settle(pilot)
        assert reminders_of(app) == ["Interaction I4: Snoozed call"]  # once
        assert app.rings == 0
        with db.write() as s:
            set_setting(s, "reminder_bell", True)
        set_fixed_now(datetime(2026, 1, 16, 10, 30))  # I2 (the 15th, 15:00), I3 (10:00)
        app.check_reminders()
        await wait_until(pilot, lambda: len(reminders_of(app)) > 1)
        assert reminders_of(app)[1:] == ["Interaction I2: Meeting today",
                                         "Interaction I3: Tomorrow's call"]
        assert app.rings == 1


async def test_a_task_reminds_its_assignee_at_the_start_of_work(
        db: Database, db_url: str, fixed_now: datetime) -> None:
    load_day(db)
    set_fixed_now(datetime(2026, 1, 15, 7, 0))
    with db.write() as s:
        set_setting(s, "working_hours", [8, 17])
    set_login_for_tests("petrova")
    app = Recording(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_database(pilot)
        await settle(pilot)
        set_fixed_now(datetime(2026, 1, 15, 8, 0))
        app.check_reminders()
        await wait_until(pilot, lambda: reminders_of(app))
        assert reminders_of(app) == ["Task CL2: Call the carrier"]
