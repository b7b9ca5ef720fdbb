"""The desktop's reads (store/repo_desktop.py) and the reminders' window."""

from __future__ import annotations

from datetime import datetime

from crm_tui.domain.interactions import WorkDay
from crm_tui.store.database import Database
from crm_tui.store.repo_desktop import Attention, desktop, reminders
from tests.unit.desktop.helpers import load_day

NOW = datetime(2026, 1, 15, 10, 30)


def keys(items: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(item.key, item.title) for item in items]


def test_a_managers_day(db: Database) -> None:
    load_day(db)
    with db.read_plain() as s:
        mine = desktop(s, "ivanov", NOW, WorkDay(), Attention())
        everyone = desktop(s, None, NOW, WorkDay(), Attention())
        petrova = desktop(s, "petrova", NOW, WorkDay(), Attention())
        strict = desktop(s, "ivanov", NOW, WorkDay(), Attention(quiet_days=1, stage_days=1))
    # Overdue first; today's later ones and the one snoozed until 11:00 are listed too.
    assert [i.key for i in mine.interactions] == ["I1", "I4", "I2"]
    assert [i.key for i in everyone.interactions] == ["I6", "I1", "I4", "I2"]
    assert [i.key for i in petrova.interactions] == ["I6"]
    # Tasks: unassigned ones are the claim's manager's; due today or before, open.
    assert keys(mine.tasks) == [("CL2", "Replace the goods")]
    assert keys(petrova.tasks) == [("CL2", "Call the carrier")]
    assert mine.tasks[0].due == datetime(2026, 1, 14, 9, 0)
    assert [(d.key, d.reason, d.days) for d in mine.deals] == [("D1", "quiet", 14)]
    assert [d.key for d in everyone.deals] == ["D3", "D1"]
    assert [d.key for d in strict.deals] == ["D1", "D2"]
    assert mine.can_switch  # the tests' user is an administrator


def test_reminders_come_once_in_their_window(db: Database) -> None:
    load_day(db)
    day = WorkDay(start_hour=9)
    with db.read_plain() as s:
        # I4 comes back from its snooze at 11:00.
        assert keys(reminders(s, "ivanov", NOW, datetime(2026, 1, 15, 11, 0), day)) == [
            ("I4", "Snoozed call")]
        assert reminders(s, "ivanov", datetime(2026, 1, 15, 11, 0),
                         datetime(2026, 1, 15, 14, 0), day) == []
        assert keys(reminders(s, "ivanov", datetime(2026, 1, 15, 14, 0),
                              datetime(2026, 1, 15, 15, 0), day)) == [("I2", "Meeting today")]
        # Tasks come due at the start of work on their day.
        assert keys(reminders(s, "petrova", datetime(2026, 1, 15, 8, 0),
                              datetime(2026, 1, 15, 9, 0), day)) == [
            ("CL2", "Call the carrier")]
        assert reminders(s, "petrova", datetime(2026, 1, 15, 9, 0),
                         datetime(2026, 1, 15, 10, 0), day) == []
