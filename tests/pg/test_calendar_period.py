"""The calendar's period on both backends: every day counted (date(at) is text on SQLite and
a date on PostgreSQL), its first items ranked by a window function, tasks counted with them,
a manager's own period."""

from __future__ import annotations

from datetime import date, datetime

from crm_tui.store.database import Database
from crm_tui.store.repo_calendar import calendar_day, calendar_period
from tests.unit.claims.helpers import claim_record
from tests.unit.claims.helpers import load as load_claims
from tests.unit.interactions.helpers import interaction

NOW = datetime(2026, 1, 21, 12, 0)


def test_the_calendar_period_on_both_backends(any_db: Database) -> None:
    load_claims(any_db, claim_record("CL-1", tasks=[
        {"name": "call back", "description": "call back", "due": "2026-01-20",
         "assignee": "ivanov", "done": False}]),
        *(interaction(f"B{n}", f"2026-01-20T{9 + n // 6:02d}:{n % 6 * 10:02d}:00")
          for n in range(12)),
        interaction("LATER", "2026-01-28T10:00:00", end="2026-01-28T11:00:00"))
    with any_db.read() as session:
        period = calendar_period(session, datetime(2026, 1, 19), datetime(2026, 2, 2), NOW,
                                 per_day=5)
        mine = calendar_period(session, datetime(2026, 1, 19), datetime(2026, 2, 2), NOW,
                               manager_login="nobody", per_day=5)
        day = calendar_day(session, date(2026, 1, 20))
    assert period.counts == {date(2026, 1, 20): 13, date(2026, 1, 28): 1}
    assert [i.key for i in period.items if i.kind != "task"] == [
        "B0", "B1", "B2", "B3", "B4", "LATER"]
    assert [i.kind for i in period.items].count("task") == 1
    assert period.overdue == 13  # the 20th's twelve and its task are past; the 28th is not
    assert mine.counts == {} and mine.items == []  # nobody's own period is empty
    assert len(day) == 13
