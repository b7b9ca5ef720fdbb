"""The home screen's counts: from the kept counts on SQLite, equal to counting the rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from crm_tui.store.database import Database
from crm_tui.store.repo_overview import Overview, overview


def counted(db: Database, now: datetime) -> Overview:
    with db.read() as s:
        def one(sql: str) -> int:
            return int(s.execute(text(sql), {"now": now}).scalar_one())

        return Overview(
            partners=one("SELECT count(*) FROM partner"),
            open_deals=one("SELECT count(*) FROM deal WHERE status = 'open'"),
            in_progress=one("SELECT count(*) FROM interaction WHERE status = 'in_progress'"),
            overdue=one("SELECT count(*) FROM interaction WHERE status = 'in_progress' "
                        "AND at < :now"),
            open_claims=one("SELECT count(*) FROM claim WHERE status = 'open'"),
        )


def test_the_overview_equals_the_rows_counted(small_db: Database) -> None:
    with small_db.read() as s:
        times = [datetime.fromisoformat(row[0])
                 for row in s.execute(text("SELECT at FROM interaction ORDER BY at"))]
    assert times
    # Before, amid and after the interactions: overdue is the in-progress ones before now.
    for now in (datetime(2000, 1, 1), times[len(times) // 2], datetime(2100, 1, 1)):
        with small_db.read_plain() as connection:
            assert overview(connection, now) == counted(small_db, now)
    assert 0 < counted(small_db, times[len(times) // 2]).overdue < len(times)
    with small_db.write() as s:
        s.execute(text("UPDATE interaction SET status = 'done' WHERE id IN "
                       "(SELECT id FROM interaction WHERE status = 'in_progress' LIMIT 2)"))
        s.execute(text("UPDATE deal SET status = 'lost' WHERE id IN "
                       "(SELECT id FROM deal WHERE status = 'open' LIMIT 1)"))
    with small_db.read_plain() as connection:
        assert overview(connection, times[0]) == counted(small_db, times[0])
