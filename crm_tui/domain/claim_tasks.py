"""Claim-plan tasks as assignments: how a task stands against its due date (for the
per-assignee report and the "My tasks" list). Pure Python."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum


class TaskStanding(StrEnum):
    """Where a task is against its due date."""

    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    OPEN_OVERDUE = "open_overdue"
    OPEN = "open"


def standing(due: date | None, done: bool, done_at: datetime | None,
             today: date) -> TaskStanding:
    """A done task is late when it was marked done after its due day; a done task whose
    completion time was never recorded (done before migration 0016_tasks, or imported without
    `done_at`) counts as on time: nothing says otherwise. An open task is overdue once its
    due day has passed; a task without a due date is never overdue."""
    if done:
        if done_at is not None and due is not None and done_at.date() > due:
            return TaskStanding.DONE_LATE
        return TaskStanding.DONE_ON_TIME
    if due is not None and due < today:
        return TaskStanding.OPEN_OVERDUE
    return TaskStanding.OPEN
