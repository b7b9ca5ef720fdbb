"""A large import writes each full chunk on a second thread while the next chunk is
validated (exchange/importer_writer.py; issue 24 §2), and stays all or nothing."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import text

from crm_tui.exchange import importer
from crm_tui.exchange.demo import generate
from crm_tui.store.database import Database

CHUNK = 200  # rows per chunk: a demo `small` file then hands over many chunks


def count(db: Database, table: str) -> int:
    with db.read() as session:
        return int(session.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())


def test_full_chunks_are_written_beside_the_validation(db: Database,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "CHUNK_ROWS", CHUNK)
    real_validate, real_flush = importer.validate_record, importer.flush
    writing = threading.Event()  # a background write is under way
    validated_meanwhile = threading.Event()  # ...and a record was validated during it
    on_main: list[bool] = []
    overlapped: list[bool] = []

    def validate(*args: Any) -> None:
        if writing.is_set():
            validated_meanwhile.set()
        real_validate(*args)

    def flush(connection: Any, batch: Any) -> None:
        main = threading.current_thread() is threading.main_thread()
        on_main.append(main)
        if not main:  # the write waits until the main thread validates another record
            validated_meanwhile.clear()
            writing.set()
            overlapped.append(validated_meanwhile.wait(2))
            writing.clear()
        real_flush(connection, batch)

    monkeypatch.setattr(importer, "validate_record", validate)
    monkeypatch.setattr(importer, "flush", flush)
    counts = importer.import_records(db, generate("small", 1))
    assert counts["interaction"] == 300 and count(db, "interaction") == 300
    # Every full chunk went to the writer thread; only the last, partial one is written
    # by the caller once validation has ended.
    assert len(on_main) > 5 and on_main[-1] and not any(on_main[:-1])
    assert any(overlapped), "no record was validated while a chunk was being written"
    assert not [thread for thread in threading.enumerate()
                if thread.name.startswith("crm-import-writer")]


def test_an_error_while_writing_a_chunk_rolls_everything_back(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "CHUNK_ROWS", CHUNK)
    real_flush = importer.flush
    calls: list[int] = []

    def flush(connection: Any, batch: Any) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        real_flush(connection, batch)

    monkeypatch.setattr(importer, "flush", flush)
    with pytest.raises(RuntimeError, match="disk full"):
        importer.import_records(db, generate("small", 1))
    assert count(db, "partner") == 0 and count(db, "interaction") == 0


def test_a_failed_validation_waits_for_the_write_under_way(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rollback never runs beside a write on the same connection."""
    monkeypatch.setattr(importer, "CHUNK_ROWS", CHUNK)
    real_validate, real_flush = importer.validate_record, importer.flush
    written: list[bool] = []
    started = threading.Event()

    def flush(connection: Any, batch: Any) -> None:
        started.set()
        time.sleep(0.3)
        real_flush(connection, batch)
        written.append(True)

    def validate(*args: Any) -> None:
        if started.is_set():
            raise KeyboardInterrupt  # Ctrl+C while the first chunk is being written
        real_validate(*args)

    monkeypatch.setattr(importer, "validate_record", validate)
    monkeypatch.setattr(importer, "flush", flush)
    with pytest.raises(KeyboardInterrupt):
        importer.import_records(db, generate("small", 1))
    assert written == [True]  # the write had ended before the error left the import
    assert count(db, "partner") == 0 and count(db, "interaction") == 0
