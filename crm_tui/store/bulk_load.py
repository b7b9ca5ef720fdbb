"""Bulk loading into SQLite: build the derived structures once after the rows, not per row.

Inserting 100k interactions updates thirteen secondary indexes and a counts table (trigger)
row by row: half of a large import's time was SQLite's executemany. `deferred(connection)`
drops the secondary indexes and the count-keeping triggers of the tables bulk writes fill,
and on leaving makes them again from the very SQL they were made with and counts the kept
totals afresh from the rows (as migrations 0006/0007 first filled them). Everything happens
inside the caller's write transaction: if the load fails, its rollback restores the indexes
and triggers with the rows, so the database is never left without them.

The partner search index's triggers go too (a contact written rewrote its partner's whole
document): afterwards every partner is labelled afresh in name order and every document
written once (store/search_index.py: rebuild_search_index).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection

from crm_tui.store.search_index import rebuild_search_index

# Tables whose secondary indexes wait for the end of a bulk load (the big ones of a file).
TABLES = ("deal", "deal_stage_entry", "deal_participant", "deal_contact",
          "deal_demand_reason", "claim", "claim_task", "interaction", "agreement_payment")
# The partner search index's triggers (migration 0010): every document is written again.
SEARCH_TRIGGERS = "partner_search_"
# Count-keeping tables (migrations 0006, 0007): their triggers, and how to count them afresh.
KEPT_COUNTS: dict[str, tuple[tuple[str, ...], str]] = {
    "deal_board_total": (
        ("deal_board_total_ai", "deal_board_total_ad", "deal_board_total_au"),
        "INSERT INTO deal_board_total (kind_id, status, stage_key, manager_id, deals, "
        "amount_minor) SELECT kind_id, status, coalesce(stage_id, 0), manager_id, count(*), "
        "sum(amount_minor) FROM deal GROUP BY kind_id, status, coalesce(stage_id, 0), "
        "manager_id"),
    "interaction_total": (
        ("interaction_total_ai", "interaction_total_ad", "interaction_total_au"),
        "INSERT INTO interaction_total (status, kind, manager_key, items) SELECT status, "
        "kind, coalesce(manager_id, 0), count(*) FROM interaction "
        "GROUP BY status, kind, coalesce(manager_id, 0)"),
}


@contextmanager
def deferred(connection: Connection) -> Iterator[None]:
    """Within an open write transaction: load rows inside the block; the indexes and kept
    counts are made after it. A no-op on PostgreSQL. On an exception nothing is made again:
    the caller rolls the transaction back (which restores them)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    run = connection.exec_driver_sql
    marks = ", ".join("?" * len(TABLES))
    # Indexes made by CREATE INDEX (sql is NULL for those of UNIQUE / PRIMARY KEY).
    indexes = [(name, sql) for name, sql in run(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY name", TABLES).all()]
    triggers = [(name, sql) for name, sql in run(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all()
        if any(name in names for names, _fill in KEPT_COUNTS.values())
        or name.startswith(SEARCH_TRIGGERS)]
    search = any(name.startswith(SEARCH_TRIGGERS) for name, _sql in triggers) and _has_table(
        connection, "partner_label")
    counted = [table for table, (names, _fill) in KEPT_COUNTS.items()
               if any(name in names for name, _sql in triggers)]
    # DROP INDEX forgets the index's statistics (if ANALYZE was ever run): kept to restore.
    stats = run("SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx IN (SELECT name FROM "
                "sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
                f"({marks}))", TABLES).all() if _has_table(connection, "sqlite_stat1") else []
    for name, _sql in indexes:
        run(f'DROP INDEX "{name}"')
    for name, _sql in triggers:
        run(f'DROP TRIGGER "{name}"')
    yield
    for _name, sql in indexes:
        run(sql)
    for table in counted:
        run(f'DELETE FROM "{table}"')
        run(KEPT_COUNTS[table][1])
    if search:
        rebuild_search_index(connection)
    for _name, sql in triggers:
        run(sql)
    if stats:
        run("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
            [tuple(row) for row in stats])


def _has_table(connection: Connection, name: str) -> bool:
    return connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).first() \
        is not None
