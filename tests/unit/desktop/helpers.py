"""Data for the desktop and reminder tests: BASE (tests/unit/interactions/helpers.py) plus a
manager's day at FIXED_NOW (2026-01-15 10:30)."""

from __future__ import annotations

from typing import Any

from crm_tui.store.database import Database
from tests.unit.interactions.helpers import interaction, load


def task(name: str, due: str | None, assignee: str | None = None,
         done: bool = False) -> dict[str, Any]:
    record: dict[str, Any] = {"name": name, "description": "", "done": done}
    if due:
        record["due"] = due
    if assignee:
        record["assignee"] = assignee
    return record


DAY: list[dict[str, Any]] = [
    # ivanov's: overdue, today later, tomorrow, snoozed until 11:00 today, done.
    interaction("I1", "2026-01-14T10:00:00", topic="Call back Alpha"),
    interaction("I2", "2026-01-15T15:00:00", topic="Meeting today"),
    interaction("I3", "2026-01-16T10:00:00", topic="Tomorrow's call"),
    interaction("I4", "2026-01-13T10:00:00", topic="Snoozed call",
                review_after="2026-01-15T11:00:00"),
    interaction("I5", "2026-01-10T10:00:00", topic="Done call", status="done"),
    # petrova's, overdue.
    interaction("I6", "2026-01-14T09:00:00", topic="Petrova's call", manager="petrova",
                partner="P2"),
    {"type": "claim", "id": "CL2", "partner": "P1", "reason": "late",
     "registered_at": "2026-01-05T10:00:00", "description": "Broken goods",
     "manager": "ivanov", "status": "open", "posted": False, "source": "list",
     "tasks": [task("Replace the goods", "2026-01-14"),
               task("Call the carrier", "2026-01-15", assignee="petrova"),
               task("Write the report", "2026-01-20"),
               task("Already done", "2026-01-10", done=True),
               task("Undated", None)]},
    # D1 (BASE) was made 2026-01-01 and has no interaction: quiet for 14 days.
    {"type": "deal", "id": "D2", "name": "Fresh deal", "partner": "P1", "kind": "typical",
     "manager": "ivanov", "amount": "5.00", "created_at": "2026-01-14T10:00:00",
     "status": "open", "stages": []},
    {"type": "deal", "id": "D3", "name": "Petrova's deal", "partner": "P2", "kind": "typical",
     "manager": "petrova", "amount": "5.00", "created_at": "2025-11-01T10:00:00",
     "status": "open", "stages": []},
]


def load_day(db: Database) -> None:
    load(db, *DAY)
