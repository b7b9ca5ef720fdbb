"""A large import writes its rows before the secondary indexes and kept counts, then makes
them once (store/bulk_load.py; issue 24 §2), in the same all-or-nothing transaction."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from sqlalchemy import text

from crm_tui.exchange import importer
from crm_tui.exchange.demo import generate
from crm_tui.exchange.errors import ImportFailed
from crm_tui.store.database import Database
from crm_tui.store.maintenance import check


def schema(db: Database) -> list[tuple[str, str, str]]:
    with db.read() as session:
        return [tuple(row) for row in session.execute(text(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            "ORDER BY name")).all()]


def rows(db: Database, sql: str) -> list[tuple[Any, ...]]:
    with db.read() as session:
        return [tuple(row) for row in session.execute(text(sql)).all()]


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Chunks of 200 rows (a demo `small` file is then a "large" import); records the
    interaction indexes present at each flush."""
    monkeypatch.setattr(importer, "CHUNK_ROWS", 200)
    seen: list[int] = []
    real = importer.flush

    def flush(connection: Any, batch: Any) -> None:
        seen.append(connection.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name = 'interaction'").scalar())
        real(connection, batch)

    monkeypatch.setattr(importer, "flush", flush)
    return seen


def test_indexes_and_counts_are_made_after_the_rows(db: Database,
                                                     small_chunks: list[int]) -> None:
    before = schema(db)
    counts = importer.import_records(db, generate("small", 1))
    assert counts["interaction"] == 300
    assert len(small_chunks) > 3 and set(small_chunks) == {0}  # rows went in without them
    assert schema(db) == before  # made again from the same SQL
    assert check(db.engine) == []  # kept counts, search labels and documents agree
    # The triggers' document: 0014's (0002's with the INN and phone suffixes).
    body = importlib.import_module("crm_tui.store.migrations.versions.0014_keys").BODY
    assert rows(db, "SELECT count(*), sum(s.body = " + body + ") FROM partner_search s "
                "JOIN partner_label l ON l.label = s.rowid JOIN partner p ON p.id = "
                "l.partner_id") == [(50, 50)]  # every partner's whole document
    assert rows(db, "SELECT sum(items) FROM interaction_total") == [(300,)]
    assert rows(db, "SELECT sum(deals), sum(amount_minor) FROM deal_board_total") == rows(
        db, "SELECT count(*), sum(amount_minor) FROM deal")
    # The counts go on being kept by the triggers afterwards.
    done = "SELECT sum(items) FROM interaction_total WHERE status = 'done'"
    [(before_done,)] = rows(db, done)
    with db.write() as session:
        session.execute(text("UPDATE interaction SET status = 'done' WHERE id = (SELECT "
                             "min(id) FROM interaction WHERE status = 'in_progress')"))
    assert rows(db, done) == [(before_done + 1,)]
    assert check(db.engine) == []


def test_a_failed_large_import_leaves_indexes_rows_and_counts(db: Database,
                                                              small_chunks: list[int]) -> None:
    importer.import_records(db, [record for record in generate("small", 1)
                                 if record["type"] != "interaction"])
    before = schema(db)
    counted = rows(db, "SELECT * FROM deal_board_total ORDER BY 1, 2, 3, 4")
    small_chunks.clear()
    records = [record for record in generate("small", 1) if record["type"] == "interaction"]
    records.append({"type": "interaction", "id": "BROKEN"})  # the last record is wrong
    with pytest.raises(ImportFailed):
        importer.import_records(db, records)
    # Chunks went in without the indexes, then the transaction was rolled back.
    assert small_chunks and set(small_chunks) == {0}
    assert schema(db) == before
    assert rows(db, "SELECT count(*) FROM interaction") == [(0,)]
    assert rows(db, "SELECT * FROM deal_board_total ORDER BY 1, 2, 3, 4") == counted
    assert check(db.engine) == []
