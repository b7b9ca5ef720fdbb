"""PostgreSQL at scale (issue 24 §3, benchmarks/pg_scale.py): what the huge demo set needed
beyond SQLite's indexes."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import text

from crm_tui.exchange.importer import BULK_WRITES, import_lines
from crm_tui.store.database import Database
from crm_tui.store.repo_deals import BoardFilter, column_totals
from crm_tui.store.repo_interactions_lists import InboxFilter, InboxView, inbox_count
from crm_tui.store.repo_overview import overview
from tests.conftest import small_jsonl_path


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


def _kept(database: Database) -> tuple[list[Any], list[Any]]:
    """The kept counts (rows that count something) and the same counted from the rows."""
    with database.engine.connect() as connection:
        def rows(sql: str) -> list[Any]:
            return [tuple(row) for row in connection.execute(text(sql)).all()]

        kept = (rows("SELECT kind_id, status, stage_key, manager_id, deals, amount_minor "
                     "FROM deal_board_total WHERE deals != 0 ORDER BY 1, 2, 3, 4"),
                rows("SELECT status, kind, manager_key, items FROM interaction_total "
                     "WHERE items != 0 ORDER BY 1, 2, 3"))
        counted = (rows("SELECT kind_id, status, coalesce(stage_id, 0), manager_id, count(*), "
                        "sum(amount_minor) FROM deal GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"),
                   rows("SELECT status, kind, coalesce(manager_id, 0), count(*) "
                        "FROM interaction GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"))
    return list(kept), list(counted)


def test_the_board_and_inbox_counts_are_kept_through_every_write(pg_db: Database) -> None:
    """deal_board_total and interaction_total (migration 0017) follow inserts, updates and
    deletes, whole statements of many rows included, as SQLite's (0006, 0007)."""
    import_lines(pg_db, small_jsonl_path().read_text(encoding="utf-8").splitlines())
    kept, counted = _kept(pg_db)
    assert kept == counted
    assert kept[0] and kept[1]
    with pg_db.engine.begin() as connection:
        connection.execute(text("UPDATE interaction SET status = 'done' "
                                "WHERE id IN (SELECT id FROM interaction ORDER BY id LIMIT 40)"))
        connection.execute(text("UPDATE interaction SET manager_id = NULL "
                                "WHERE id IN (SELECT id FROM interaction ORDER BY id DESC"
                                " LIMIT 7)"))
        connection.execute(text("UPDATE interaction SET topic = topic || '!'"))
        connection.execute(text("UPDATE deal SET amount_minor = amount_minor + 100, "
                                "status = 'won' WHERE id % 3 = 0"))
        connection.execute(text("DELETE FROM interaction WHERE id % 5 = 0 AND id NOT IN "
                                "(SELECT subject_interaction_id FROM interaction "
                                "WHERE subject_interaction_id IS NOT NULL)"))
    assert _kept(pg_db)[0] == _kept(pg_db)[1]


def test_the_screens_read_the_kept_counts(pg_db: Database) -> None:
    """The home screen, the inbox and the board answer from the kept counts on PostgreSQL
    too (changed behind the app's back here, so only a read of them shows the change)."""
    import_lines(pg_db, small_jsonl_path().read_text(encoding="utf-8").splitlines())
    now = datetime(2026, 11, 2, 9, 0)
    with pg_db.engine.connect() as connection:
        before = overview(connection, now)
    with pg_db.read() as session:
        inbox_before = inbox_count(session, InboxFilter(InboxView.ALL), now)
        kind_id = session.execute(text("SELECT id FROM deal_kind ORDER BY id")).scalar()
        stages = [row[0] for row in session.execute(text(
            "SELECT DISTINCT coalesce(stage_id, 0) FROM deal WHERE kind_id = :kind"),
            {"kind": kind_id})]
        board_before = column_totals(session, BoardFilter(kind_id=kind_id), stages)
    with pg_db.engine.begin() as connection:
        connection.execute(text("ALTER TABLE interaction DISABLE TRIGGER USER"))
        connection.execute(text("ALTER TABLE deal DISABLE TRIGGER USER"))
        connection.execute(text("UPDATE interaction_total SET items = items + 1000 "
                                "WHERE status = 'in_progress'"))
        connection.execute(text("UPDATE deal_board_total SET deals = deals + 1000 "
                                "WHERE status = 'open'"))
    with pg_db.engine.connect() as connection:
        after = overview(connection, now)
    with pg_db.read() as session:
        inbox_after = inbox_count(session, InboxFilter(InboxView.ALL), now)
        board_after = column_totals(session, BoardFilter(kind_id=kind_id), stages)
    rows = len([1 for _row in _kept(pg_db)[0][1] if _row[0] == "in_progress"])
    assert after.in_progress == before.in_progress + 1000 * rows
    assert after.open_deals > before.open_deals
    assert inbox_after == inbox_before + 1000 * rows
    assert sum(total.count for total in board_after.values()) > \
        sum(total.count for total in board_before.values())


def test_the_stored_search_texts_are_the_expressions_the_search_folds_with() -> None:
    """Migration 0017 stores 0004's expressions; the query compares their columns."""
    import importlib.util
    from pathlib import Path

    from crm_tui.store import search_partners_pg

    path = (Path(search_partners_pg.__file__).parent / "migrations" / "versions"
            / "0017_pgscale.py")
    spec = importlib.util.spec_from_file_location("migration_0017", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    stored = {expression: column for _table, column, expression, _old, _new
              in migration.SEARCH_COLUMNS}
    assert stored == search_partners_pg.COLUMNS


def test_a_one_letter_search_rechecks_stored_text_not_the_expression(pg_db: Database) -> None:
    """The plan of a search compares the stored columns through their trigram indexes; no
    regexp_replace is evaluated per candidate row."""
    from crm_tui.store.search_partners import PartnerFilter, count_statement

    with pg_db.engine.begin() as connection:
        connection.execute(text("SET LOCAL enable_seqscan = off"))
        with pg_db.read() as session:
            statement = count_statement(session, PartnerFilter(text="а"))
        assert statement is not None
        sql, params = statement
        plan = "\n".join(str(row[0]) for row in connection.execute(
            text(f"EXPLAIN {sql}"), params))
    assert "regexp_replace" not in plan, plan
    # Since 0019 one stored document per partner, with its own trigram index.
    assert "ix_partner_search_doc" in plan, plan


def test_a_big_table_import_leaves_the_planner_statistics(pg_db: Database,
                                                          tmp_path: Any) -> None:
    """`crm import-table` of a big file (the bulk path) analyzes as `crm import` does."""
    from benchmarks.table_file import partner_rows, reference, write_csv
    from crm_tui.domain.table_mapping import auto_map
    from crm_tui.exchange import table_import
    from crm_tui.exchange.table_file import open_table

    with pg_db.engine.begin() as connection:
        connection.execute(text("ALTER TABLE partner SET (autovacuum_enabled = false)"))
    import_lines(pg_db, [json.dumps(r, ensure_ascii=False) for r in reference()])
    assert not _analyzed(pg_db, "partner")
    path = tmp_path / "partners.csv"
    write_csv(partner_rows(table_import.CHUNK_ROWS + 20), path, "cp1251")  # two chunks
    table = open_table(str(path), "partners")
    summary = table_import.run_import(pg_db, "partners", auto_map("partners", table.headers),
                                      table.rows(), bulk_rows=10)
    assert summary.written and not summary.problem_count
    assert _analyzed(pg_db, "partner")
