"""Reminders while the app is open: what came due for the user since the last look (an
interaction's time or the end of its snooze, a claim task's day at the start of work), each
told once. No textual here: the app calls `Reminders.tick` from a thread worker every
REMINDER_SECONDS and notifies what it returns (store/repo_desktop.py: reminders)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

from crm_tui.domain import clock
from crm_tui.store.database import Database
from crm_tui.store.repo_desktop import WorkItem

REMINDER_SECONDS = 30.0


@dataclass(frozen=True)
class Due:
    items: list[WorkItem]
    bell: bool  # the setting reminder_bell


@dataclass
class Reminders:
    """The window already looked at (from the app's start) and what was told in it."""

    since: datetime = field(default_factory=clock.now)
    told: set[tuple[str, str, int, datetime | None]] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def tick(self, db: Database, login: str) -> Due | None:
        """What came due in (since, now] and was not told yet; None when nothing did."""
        if not self._lock.acquire(blocking=False):
            return None  # the previous look is still running
        try:
            from crm_tui.store.repo_desktop import reminders
            from crm_tui.store.setting_defaults import read_plain, work_day

            now = clock.now()
            if now <= self.since:
                return None
            with db.read_plain() as connection:
                found = reminders(connection, login, self.since, now, work_day(connection))
                bell = bool(read_plain(connection, "reminder_bell")["reminder_bell"])
            self.since = now
            fresh = [item for item in found
                     if (item.kind, item.key, item.task_seq, item.due) not in self.told]
            self.told.update((item.kind, item.key, item.task_seq, item.due) for item in fresh)
            return Due(fresh, bell) if fresh else None
        finally:
            self._lock.release()
