"""On PostgreSQL too a large import's full chunks are written by a second thread (psycopg
releases the GIL while the server works) and the import stays all or nothing."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import text

from crm_tui.exchange import importer
from crm_tui.exchange.demo import generate
from crm_tui.exchange.errors import ImportFailed
from crm_tui.store.database import Database


def count(db: Database, table: str) -> int:
    with db.read() as session:
        return int(session.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Chunks of 200 rows; for each write, whether the main thread made it."""
    monkeypatch.setattr(importer, "CHUNK_ROWS", 200)
    real = importer.flush
    on_main: list[bool] = []

    def flush(connection: Any, batch: Any) -> None:
        on_main.append(threading.current_thread() is threading.main_thread())
        real(connection, batch)

    monkeypatch.setattr(importer, "flush", flush)
    return on_main


def test_chunks_are_written_by_the_writer_thread(pg_db: Database, writes: list[bool]) -> None:
    counts = importer.import_records(pg_db, generate("small", 1))
    assert counts["interaction"] == 300 and count(pg_db, "interaction") == 300
    assert len(writes) > 5 and writes[-1] and not any(writes[:-1])


def test_a_failed_import_after_written_chunks_leaves_nothing(pg_db: Database,
                                                              writes: list[bool]) -> None:
    records = list(generate("small", 1))
    records.append({"type": "interaction", "id": "BROKEN"})  # the last record is wrong
    with pytest.raises(ImportFailed):
        importer.import_records(pg_db, records)
    assert writes and not any(writes)  # chunks were written, then rolled back
    assert count(pg_db, "partner") == 0 and count(pg_db, "interaction") == 0
