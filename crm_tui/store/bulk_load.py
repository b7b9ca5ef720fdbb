"""Bulk loading: build the derived structures once after the rows, not per row.

Inserting 100k interactions updates thirteen secondary indexes and a counts table (trigger)
row by row: half of a large import's time was SQLite's executemany, and on PostgreSQL most
of a large import's wall clock was the server's (issue 24 §2/§3). `deferred(connection,
loading)` drops the secondary indexes and the count-keeping triggers of the tables bulk
writes fill, and on leaving makes them again from the very SQL they were made with and
counts the kept totals afresh from the rows (as migrations 0006/0007/0017 first filled
them). Everything happens inside the caller's write transaction: if the load fails, its
rollback restores the indexes and triggers with the rows (DDL is transactional on both
SQLite and PostgreSQL), so the database is never left without them.

Only tables holding fewer rows than the load brings are deferred: rebuilding the indexes of
2M interactions to add a few thousand would cost more than updating them row by row.

On SQLite the partner search index's triggers go too (a contact written rewrote its
partner's whole document): afterwards every partner is labelled afresh in name order and
every document written once (store/search_index.py: rebuild_search_index).

Locks on PostgreSQL: DROP INDEX, and DROP CONSTRAINT of a foreign key between two
deferred tables, take an ACCESS EXCLUSIVE lock on the tables until the import commits, so
while a first (or nearly first) load runs, other sessions' reads of the deferred tables
(partners, deals, claims, interactions and their parts) wait for it; writers are held out
by any import anyway (the writer lock, store/pg.py). Users, classifiers and the kept
totals are not locked (a user can log in; screens reading the locked tables wait). A load
into tables that already hold more rows than it brings takes no such lock on them.
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
# Counted table -> its kept table (migrations 0006, 0007; 0017 on PostgreSQL), whose
# triggers' names start with the kept table's, and how to count it afresh.
KEPT_COUNTS: dict[str, tuple[str, str]] = {
    "deal": (
        "deal_board_total",
        "INSERT INTO deal_board_total (kind_id, status, stage_key, manager_id, deals, "
        "amount_minor) SELECT kind_id, status, coalesce(stage_id, 0), manager_id, count(*), "
        "sum(amount_minor) FROM deal GROUP BY kind_id, status, coalesce(stage_id, 0), "
        "manager_id"),
    "interaction": (
        "interaction_total",
        "INSERT INTO interaction_total (status, kind, manager_key, items) SELECT status, "
        "kind, coalesce(manager_id, 0), count(*) FROM interaction "
        "GROUP BY status, kind, coalesce(manager_id, 0)"),
}
# PostgreSQL: the partner search documents' tables (migrations 0017, 0019) are deferred too;
# their triggers (names starting so) rewrote a partner's document per statement touching it.
PG_SEARCH_TABLES = ("partner", "counterparty", "partner_counterparty", "contact")
PG_SEARCH_TRIGGERS = "partner_search_doc"
# Memory for sorting while PostgreSQL builds an index (its default, 64 MB, spills to disk
# for the interactions of a large file); only for the import's transaction.
PG_INDEX_MEMORY = "256MB"


def fewer_rows(connection: Connection, tables: tuple[str, ...], loading: int) -> list[str]:
    """The tables holding fewer than `loading` rows (counted up to `loading`, so a big table
    costs no full count)."""
    return [table for table in tables if connection.exec_driver_sql(
        f'SELECT count(*) FROM (SELECT 1 FROM "{table}" LIMIT {int(loading)}) AS rows'
    ).scalar_one() < loading]


@contextmanager
def deferred(connection: Connection, loading: int, *,
             on_postgresql: bool = True) -> Iterator[None]:
    """Within an open write transaction: load rows inside the block (at least `loading` of
    them); the indexes and kept counts of the tables holding fewer rows are made after it.
    On an exception nothing is made again: the caller rolls the transaction back (which
    restores them). `on_postgresql=False`: a no-op there (for a load that reads the
    partners' tables through their indexes as it goes: the spreadsheet import's lookups)."""
    if connection.dialect.name == "postgresql" and on_postgresql:
        with _deferred_pg(connection, fewer_rows(connection, TABLES + PG_SEARCH_TABLES,
                                                 loading)):
            yield
        return
    if connection.dialect.name != "sqlite":
        yield
        return
    tables = fewer_rows(connection, TABLES, loading)
    run = connection.exec_driver_sql
    marks = ", ".join("?" * len(tables))
    # Indexes made by CREATE INDEX (sql is NULL for those of UNIQUE / PRIMARY KEY).
    indexes = [(name, sql) for name, sql in run(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY name", tuple(tables)).all()] if tables else []
    counted = [KEPT_COUNTS[table] for table in KEPT_COUNTS if table in tables]
    triggers = [(name, sql) for name, sql in run(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all()
        if any(name.startswith(kept + "_") for kept, _fill in counted)
        or name.startswith(SEARCH_TRIGGERS)]
    search = any(name.startswith(SEARCH_TRIGGERS) for name, _sql in triggers) and _has_table(
        connection, "partner_label")
    counted = [(kept, fill) for kept, fill in counted
               if any(name.startswith(kept + "_") for name, _sql in triggers)]
    # DROP INDEX forgets the index's statistics (if ANALYZE was ever run): kept to restore.
    stats = run("SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx IN (SELECT name FROM "
                "sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
                f"({marks}))", tuple(tables)).all() \
        if tables and _has_table(connection, "sqlite_stat1") else []
    for name, _sql in indexes:
        run(f'DROP INDEX "{name}"')
    for name, _sql in triggers:
        run(f'DROP TRIGGER "{name}"')
    yield
    for _name, sql in indexes:
        run(sql)
    _recount(connection, counted)
    if search:
        rebuild_search_index(connection)
    for _name, sql in triggers:
        run(sql)
    if stats:
        run("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
            [tuple(row) for row in stats])


@contextmanager
def _deferred_pg(connection: Connection, tables: list[str]) -> Iterator[None]:
    """PostgreSQL: the tables' indexes other than their primary keys and unique ones (which
    guard the rows as they come) are dropped and made again from `pg_get_indexdef`, their
    foreign keys to one another from `pg_get_constraintdef`; the
    kept counts' statement triggers (0017) are disabled, then enabled after a recount; when
    the partners are deferred, so are the search documents' triggers (0019), and every
    document is written once after the rows (as 0019 first wrote them). ALTER TABLE …
    DISABLE TRIGGER is transactional too: a rollback enables them again."""
    if not tables:
        yield
        return
    run = connection.exec_driver_sql
    indexes = [(table, name, sql) for table, name, sql in run(
        "SELECT t.relname, i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
        "WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(%(t)s) "
        "AND NOT x.indisunique AND NOT x.indisprimary ORDER BY i.relname",
        {"t": tables}).all()]
    counted = [KEPT_COUNTS[table] for table in KEPT_COUNTS if table in tables]
    triggers = [(table, name) for table, name in run(
        "SELECT c.relname, g.tgname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
        "WHERE c.relnamespace = current_schema()::regnamespace AND NOT g.tgisinternal "
        "AND g.tgenabled <> 'D' AND c.relname = ANY(%(t)s) ORDER BY g.tgname",
        {"t": tables}).all()
        if any(name.startswith(kept + "_") for kept, _fill in counted)
        or ("partner" in tables and name.startswith(PG_SEARCH_TRIGGERS))]
    documents = any(name.startswith(PG_SEARCH_TRIGGERS) for _table, name in triggers)
    # Foreign keys between two deferred tables: PostgreSQL checks one per row and key (an
    # interaction's five took 3.1 of the 3.7 s its 120k rows of the large set took to
    # insert); added again after the rows, each is checked by one join. Those naming other
    # tables (users, classifiers) stay, so that no lock is taken on those.
    foreign = [(table, name, definition) for table, name, definition in run(
        "SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
        "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid "
        "WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace "
        "AND c.relname = ANY(%(t)s) AND r.relname = ANY(%(t)s) ORDER BY 1, 2",
        {"t": tables}).all()]
    counted = [(kept, fill) for kept, fill in counted
               if any(name.startswith(kept + "_") for _table, name in triggers)]
    for _table, name, _sql in indexes:
        run(f'DROP INDEX "{name}"')
    for table, name in triggers:
        run(f'ALTER TABLE "{table}" DISABLE TRIGGER "{name}"')
    for table, name, _definition in foreign:
        run(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    yield
    run(f"SET LOCAL maintenance_work_mem = '{PG_INDEX_MEMORY}'")
    # A document reads its partner's legal entities and contacts through their indexes:
    # those are made first, the partner's own after its documents are written.
    partner = [sql for table, _name, sql in indexes if table == "partner"]
    for table, _name, sql in indexes:
        if table != "partner":
            run(sql)
    if documents:
        run("UPDATE partner SET search_doc = partner_search_doc(id, name)")
    for sql in partner:
        run(sql)
    _recount(connection, counted)
    for table, name in triggers:
        run(f'ALTER TABLE "{table}" ENABLE TRIGGER "{name}"')
    for table, name, definition in foreign:
        run(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


def _recount(connection: Connection, counted: list[tuple[str, str]]) -> None:
    for kept, fill in counted:
        connection.exec_driver_sql(f'DELETE FROM "{kept}"')
        connection.exec_driver_sql(fill)


def _has_table(connection: Connection, name: str) -> bool:
    return connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).first() \
        is not None
