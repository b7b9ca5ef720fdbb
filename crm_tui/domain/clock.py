"""The one place the app asks for the current time, so tests and snapshots can fix it."""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta

# A moment the clock is frozen at, or None. Only tests set it (tests/support/clock.py);
# a whole process (snapshots, end-to-end runs) is fixed with CRM_NOW instead.
fixed_now: datetime | None = None


def now() -> datetime:
    """Local time without zone, to the second; `CRM_NOW` (ISO timestamp) fixes it for tests."""
    if fixed_now is not None:
        return fixed_now
    fixed_env = os.environ.get("CRM_NOW")
    if fixed_env:
        return datetime.fromisoformat(fixed_env)
    return datetime.now().replace(microsecond=0)


def end_of_day(day: date) -> datetime:
    """The midnight after `day`: the exclusive end of a period whose last day is `day`.

    For 9999-12-31 (the calendar's last day, which `--to` accepts) there is no next midnight:
    the last moment a datetime can hold stands for it."""
    if day >= date.max:
        return datetime.max
    return datetime.combine(day + timedelta(days=1), time())
