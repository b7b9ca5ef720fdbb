"""An import into PostgreSQL writes its rows with COPY (exchange/writer.py: _pg_copy), not one
INSERT per row, and stores exactly what the INSERT path stored."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, insert
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from crm_tui.exchange import importer, writer
from crm_tui.exchange.demo import generate
from crm_tui.store.database import Database
from tests.pg.conftest import reset_schema


def _stored(db: Database) -> dict[str, list[str]]:
    """Every written table's rows as PostgreSQL prints them (each column's text output)."""
    with db.engine.connect() as connection:
        return {name: list(connection.exec_driver_sql(
            f'SELECT t::text FROM "{name}" AS t ORDER BY t::text').scalars())
            for name in writer.WRITE_ORDER}


def _insert(connection: Connection, name: str, rows: list[dict[str, Any]]) -> None:
    """The path before COPY: SQLAlchemy Core's executemany of an INSERT."""
    connection.execute(insert(SQLModel.metadata.tables[name]), rows)


@pytest.mark.parametrize("chunk_rows", [importer.CHUNK_ROWS, 200])
def test_copy_stores_what_the_insert_path_stores(
        pg_url: str, monkeypatch: pytest.MonkeyPatch, chunk_rows: int) -> None:
    monkeypatch.setattr(importer, "CHUNK_ROWS", chunk_rows)
    records = list(generate("small", 1))
    stored = []
    for path in (None, _insert):
        if path is not None:
            monkeypatch.setattr(writer, "_pg_copy", path)
        reset_schema(pg_url)
        database = Database.open(pg_url)
        try:
            importer.import_records(database, records)
            stored.append(_stored(database))
        finally:
            database.close()
    copied, inserted = stored
    assert sum(map(len, copied.values())) > 700
    assert copied == inserted


def test_rows_go_by_copy_not_one_insert_per_row(pg_db: Database) -> None:
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(pg_db.engine, "before_cursor_execute", seen)
    try:
        counts = importer.import_records(pg_db, generate("small", 1))
    finally:
        event.remove(pg_db.engine, "before_cursor_execute", seen)
    assert counts["interaction"] == 300
    with pg_db.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM interaction").scalar() == 300
    inserts = [statement for statement in statements if statement.startswith("INSERT INTO")]
    assert not [s for s in inserts if s.startswith(("INSERT INTO interaction ",
                                                    "INSERT INTO contact ",
                                                    "INSERT INTO deal "))], inserts[:3]
