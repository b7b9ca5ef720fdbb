"""PostgreSQL at scale (issue 24 §3, benchmarks/pg_scale.py): what the huge demo set needed
beyond SQLite's indexes."""

from __future__ import annotations

import json

from sqlalchemy import text

from crm_tui.exchange.importer import BULK_WRITES, import_lines
from crm_tui.store.database import Database


def _analyzed(database: Database, table: str) -> bool:
    """Whether the planner has statistics of `table`'s columns."""
    with database.engine.connect() as connection:
        return bool(connection.execute(
            text("SELECT count(*) FROM pg_stats WHERE schemaname = 'public' "
                 "AND tablename = :table"), {"table": table}).scalar())


def test_a_bulk_import_leaves_the_planner_statistics_of_its_rows(pg_db: Database) -> None:
    """Right after a big import (before autovacuum, switched off here so that it cannot do
    it instead) the planner knows the loaded tables: without statistics it takes them for
    empty and plans the first reads as for empty tables."""
    with pg_db.engine.begin() as connection:
        for table in ("partner", "contact"):
            connection.execute(text(f"ALTER TABLE {table} SET (autovacuum_enabled = false)"))
    lines = []
    for number in range(BULK_WRITES):
        lines.append(json.dumps({"type": "partner", "id": f"P{number}",
                                 "name": f"Компания {number}", "roles": ["client"]}))
        lines.append(json.dumps({"type": "contact", "id": f"K{number}",
                                 "partner": f"P{number}", "name": f"Контакт {number}"}))
    assert not _analyzed(pg_db, "partner")
    import_lines(pg_db, lines)
    assert _analyzed(pg_db, "partner")
    assert _analyzed(pg_db, "contact")


def test_a_small_import_does_not_analyze(pg_db: Database) -> None:
    """One record typed in by hand is no bulk load: no ANALYZE of the whole database."""
    with pg_db.engine.begin() as connection:
        connection.execute(text("ALTER TABLE partner SET (autovacuum_enabled = false)"))
    import_lines(pg_db, [json.dumps({"type": "partner", "id": "P1", "name": "Одна",
                                     "roles": ["client"]})])
    assert not _analyzed(pg_db, "partner")
