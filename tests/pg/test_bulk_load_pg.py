"""A large import into PostgreSQL writes its rows before the secondary indexes and the kept
counts' triggers, then makes them once, in the same all-or-nothing transaction
(store/bulk_load.py; issue 24 §2/§3). Only tables holding fewer rows than the load brings
are deferred, on both backends."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection

from crm_tui.exchange import importer
from crm_tui.exchange.demo import generate
from crm_tui.exchange.errors import ImportFailed
from crm_tui.store import bulk_load
from crm_tui.store.database import Database

FILLED = "('deal', 'interaction', 'partner', 'counterparty', 'partner_counterparty', 'contact')"
# The kept counts as the triggers keep them (groups emptied by deletes may stay at zero).
KEPT = {
    "board": "SELECT kind_id, status, stage_key, manager_id, deals, amount_minor FROM "
             "deal_board_total WHERE deals != 0 OR amount_minor != 0 ORDER BY 1, 2, 3, 4",
    "inbox": "SELECT status, kind, manager_key, items FROM interaction_total "
             "WHERE items != 0 ORDER BY 1, 2, 3",
}
# The same counted afresh from the rows.
COUNTED = {
    "board": "SELECT kind_id, status, coalesce(stage_id, 0), manager_id, count(*), "
             "sum(amount_minor) FROM deal GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
    "inbox": "SELECT status, kind, coalesce(manager_id, 0), count(*) FROM interaction "
             "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
}


def _schema(connection: Connection) -> list[tuple[Any, ...]]:
    """Every index with its definition and every trigger with its enabled state."""
    if connection.dialect.name == "sqlite":
        return [tuple(row) for row in connection.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            "ORDER BY name").all()]
    return [tuple(row) for row in connection.exec_driver_sql(
        "SELECT 'index', indexname, indexdef FROM pg_indexes "
        "WHERE schemaname = current_schema() UNION ALL "
        "SELECT 'trigger', g.tgname || ' on ' || c.relname, g.tgenabled::text "
        "FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
        "WHERE NOT g.tgisinternal UNION ALL "
        "SELECT 'constraint', conrelid::regclass::text || '.' || conname, "
        "pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2").all()]


def _deferred_now(connection: Connection) -> tuple[int, list[str]]:
    """(interaction's secondary indexes — and on PostgreSQL its foreign keys to the other
    tables a load fills —, the enabled triggers of those tables)."""
    if connection.dialect.name == "sqlite":
        indexes = connection.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name = 'interaction'").scalar_one()
        triggers = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' "
            f"AND tbl_name IN {FILLED} ORDER BY name").scalars().all()
        return indexes, list(triggers)
    indexes = connection.exec_driver_sql(
        "SELECT count(*) FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid "
        "WHERE t.relname = 'interaction' AND t.relnamespace = current_schema()::regnamespace "
        "AND NOT x.indisunique").scalar_one() + connection.exec_driver_sql(
        "SELECT count(*) FROM pg_constraint WHERE contype = 'f' "
        "AND conrelid = 'interaction'::regclass AND confrelid <> 'app_user'::regclass"
        ).scalar_one()
    triggers = connection.exec_driver_sql(
        "SELECT g.tgname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
        f"WHERE c.relname IN {FILLED} AND NOT g.tgisinternal "
        "AND g.tgenabled <> 'D' ORDER BY 1").scalars().all()
    return indexes, list(triggers)


def _read(db: Database, sql: str) -> list[tuple[Any, ...]]:
    with db.read() as session:
        return [tuple(row) for row in session.execute(text(sql)).all()]


def _now(db: Database) -> list[tuple[Any, ...]]:
    with db.engine.connect() as connection:
        return _schema(connection)


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, list[str]]]:
    """Chunks of 200 rows (a demo `small` file is then a "large" import); records, at each
    chunk written, interaction's secondary indexes and deal's and interaction's enabled
    triggers."""
    monkeypatch.setattr(importer, "CHUNK_ROWS", 200)
    seen: list[tuple[int, list[str]]] = []
    real = importer.flush

    def flush(connection: Connection, batch: Any) -> None:
        seen.append(_deferred_now(connection))
        real(connection, batch)

    monkeypatch.setattr(importer, "flush", flush)
    return seen


def test_a_large_import_makes_indexes_and_counts_after_the_rows(
        pg_db: Database, small_chunks: list[tuple[int, list[str]]]) -> None:
    before = _now(pg_db)
    assert ("index", "ix_interaction_due") in [row[:2] for row in before]
    counts = importer.import_records(pg_db, generate("small", 1))
    assert counts["interaction"] == 300
    # Every chunk went in without interaction's indexes and with the counts' triggers off.
    assert len(small_chunks) > 3 and set(small_chunks[0][1]) == set()
    assert all(chunk == (0, []) for chunk in small_chunks), small_chunks
    assert _now(pg_db) == before  # made again from the same definitions, enabled again
    for name, sql in KEPT.items():
        assert _read(pg_db, sql) == _read(pg_db, COUNTED[name]), name
    assert _read(pg_db, "SELECT sum(items) FROM interaction_total") == [(300,)]
    # Every partner's search document written once after the rows, as the triggers write it.
    assert _read(pg_db, "SELECT count(*), count(*) FILTER (WHERE search_doc IS DISTINCT FROM "
                 "partner_search_doc(id, name)) FROM partner") == [(50, 0)]
    assert _read(pg_db, "SELECT count(*) FROM partner WHERE search_doc LIKE '% |% |%'")[0][0]
    # The counts go on being kept by the triggers afterwards.
    done = "SELECT sum(items) FROM interaction_total WHERE status = 'done'"
    [(before_done,)] = _read(pg_db, done)
    with pg_db.write() as session:
        session.execute(text("UPDATE interaction SET status = 'done' WHERE id = (SELECT "
                             "min(id) FROM interaction WHERE status = 'in_progress')"))
    assert _read(pg_db, done) == [(before_done + 1,)]
    # So are the search documents.
    with pg_db.write() as session:
        session.execute(text("UPDATE contact SET name = 'Зюзикова Ангелина' WHERE id = "
                             "(SELECT min(id) FROM contact)"))
    assert _read(pg_db, "SELECT count(*) FROM partner WHERE search_doc LIKE "
                 "'%зюзикова ангелина%'") == [(1,)]
    with pg_db.write() as session:
        session.execute(text("DELETE FROM interaction_attachment"))
        session.execute(text("DELETE FROM interaction WHERE id IN (SELECT id FROM "
                             "interaction i WHERE NOT EXISTS (SELECT 1 FROM interaction r "
                             "WHERE r.subject_interaction_id = i.id) ORDER BY id LIMIT 7)"))
    assert _read(pg_db, "SELECT sum(items) FROM interaction_total") == [(293,)]
    # The planner uses the indexes made again.
    with pg_db.read() as session:
        plan = "\n".join(session.execute(text(
            "EXPLAIN SELECT id FROM interaction WHERE partner_id = 1")).scalars())
    assert "ix_interaction_partner_id" in plan, plan


def test_a_failed_large_import_leaves_the_database_as_it_was(
        pg_db: Database, small_chunks: list[tuple[int, list[str]]]) -> None:
    importer.import_records(pg_db, [record for record in generate("small", 1)
                                    if record["type"] != "interaction"])
    before = _now(pg_db)
    kept = {name: _read(pg_db, sql) for name, sql in KEPT.items()}
    assert kept["board"]
    documents = _read(pg_db, "SELECT id, search_doc FROM partner ORDER BY id")
    small_chunks.clear()
    records = [record for record in generate("small", 1) if record["type"] == "interaction"]
    records.append({"type": "interaction", "id": "BROKEN"})  # after the first full chunk
    with pytest.raises(ImportFailed):
        importer.import_records(pg_db, records)
    # A full chunk went in without the indexes and triggers, then all was rolled back.
    assert small_chunks and small_chunks[0] == (0, [])
    assert _now(pg_db) == before
    assert _read(pg_db, "SELECT count(*) FROM interaction") == [(0,)]
    assert {name: _read(pg_db, sql) for name, sql in KEPT.items()} == kept
    assert _read(pg_db, "SELECT id, search_doc FROM partner ORDER BY id") == documents


def test_only_tables_holding_fewer_rows_than_the_load_are_deferred(
        any_db: Database) -> None:
    # 300 interactions; 150 deals, 50 partners, 81 contacts
    importer.import_records(any_db, generate("small", 1))
    before = _now(any_db)
    with any_db.write() as session:
        connection = session.connection()
        full = _deferred_now(connection)
        assert full[0] > 0 and full[1]
        with bulk_load.deferred(connection, 250):  # more interactions than that: kept
            during = _deferred_now(connection)
            indexes, triggers = during
            assert indexes == full[0]
            assert [name for name in triggers if name.startswith("interaction_total")] == [
                name for name in full[1] if name.startswith("interaction_total")]
            assert not [name for name in triggers if name.startswith("deal_board_total")]
            assert not [name for name in triggers if name.startswith("partner_search")]
        with bulk_load.deferred(connection, 10_000):
            assert _deferred_now(connection) == (0, [])
    assert _now(any_db) == before


def test_a_load_that_reads_as_it_goes_can_keep_postgresql_as_it_is(pg_db: Database) -> None:
    """The spreadsheet import looks partners, contacts and deals up by their indexes."""
    importer.import_records(pg_db, generate("small", 1))
    before = _now(pg_db)
    with pg_db.write() as session:
        connection = session.connection()
        with bulk_load.deferred(connection, 10_000, on_postgresql=False):
            assert _schema(connection) == before
