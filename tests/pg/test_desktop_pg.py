"""Home's desktop and the reminders read the same on PostgreSQL (store/repo_desktop.py)."""

from __future__ import annotations

from crm_tui.store.database import Database
from tests.unit.desktop import test_repo_desktop as on_sqlite


def test_a_managers_day(pg_db: Database) -> None:
    on_sqlite.test_a_managers_day(pg_db)


def test_reminders_come_once_in_their_window(pg_db: Database) -> None:
    on_sqlite.test_reminders_come_once_in_their_window(pg_db)
