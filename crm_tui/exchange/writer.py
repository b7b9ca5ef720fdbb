"""Bulk writing of validated rows with SQLAlchemy Core, in foreign-key order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import bindparam, delete, insert, text, update
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

# Tables in an order where every row's references are written before it.
WRITE_ORDER: tuple[str, ...] = (
    "classifier", "deal_kind", "deal_kind_stage", "app_user", "partner", "counterparty",
    "partner_counterparty", "contact", "agreement", "agreement_payment", "deal",
    "deal_stage_entry", "deal_participant", "deal_contact", "deal_demand_reason", "claim",
    "claim_task", "attachment", "interaction", "interaction_attachment",
)
# Child table -> the column naming its parent (children are replaced on update).
PARENT_COLUMN: dict[str, str] = {
    "deal_kind_stage": "kind_id",
    "partner_counterparty": "counterparty_id",
    "agreement_payment": "agreement_id",
    "deal_stage_entry": "deal_id",
    "deal_participant": "deal_id",
    "deal_contact": "deal_id",
    "deal_demand_reason": "deal_id",
    "claim_task": "claim_id",
    "attachment": "claim_id",
    "interaction_attachment": "interaction_id",
}
VERSIONED = frozenset(("partner", "counterparty", "contact", "agreement", "deal", "claim",
                       "interaction"))


@dataclass
class Batch:
    """Rows waiting to be written: inserts, updates (by id) and child lists to replace."""

    inserts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    updates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    replaced: dict[str, list[int]] = field(default_factory=dict)
    size: int = 0

    def insert(self, table: str, row: dict[str, Any]) -> None:
        self.inserts.setdefault(table, []).append(row)
        self.size += 1

    def insert_many(self, table: str, rows: Iterable[dict[str, Any]]) -> None:
        target = self.inserts.setdefault(table, [])
        before = len(target)
        target.extend(rows)
        self.size += len(target) - before

    def update(self, table: str, row: dict[str, Any]) -> None:
        """Update the row whose id is row["id"]; its children are replaced too."""
        self.updates.setdefault(table, []).append(row)
        self.size += 1

    def replace_children(self, parent_id: int, *child_tables: str) -> None:
        """Delete the existing children of `parent_id` in `child_tables` before inserting."""
        for child in child_tables:
            self.replaced.setdefault(child, []).append(parent_id)

    def clear(self) -> None:
        self.inserts.clear()
        self.updates.clear()
        self.replaced.clear()
        self.size = 0


def flush(connection: Connection, batch: Batch) -> None:
    """Write everything in `batch` and empty it."""
    tables = SQLModel.metadata.tables
    for child, parent_ids in batch.replaced.items():
        table = tables[child]
        column = table.c[PARENT_COLUMN[child]]
        for start in range(0, len(parent_ids), 500):
            connection.execute(delete(table).where(column.in_(parent_ids[start:start + 500])))
    for name in WRITE_ORDER:
        table = tables[name]
        rows = batch.inserts.get(name)
        if rows:
            if connection.dialect.name == "sqlite":
                _sqlite_insert(connection, name, rows)
            elif connection.dialect.name == "postgresql":
                _pg_copy(connection, name, rows)
            else:
                connection.execute(insert(table), rows)
        changed = batch.updates.get(name)
        if changed:
            groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for row in changed:
                groups.setdefault(tuple(row), []).append(row)
            for group in groups.values():
                _update(connection, name, group)
    batch.clear()


def _sqlite_value(value: Any) -> Any:
    """A Python value as SQLAlchemy stores it in SQLite (datetimes with microseconds)."""
    kind = type(value)
    if kind is datetime:
        return value.isoformat(" ", "microseconds")
    if kind is date:
        return value.isoformat()
    if kind is bool:
        return int(value)
    return value


def _sqlite_insert(connection: Connection, name: str, rows: list[dict[str, Any]]) -> None:
    """Insert through the driver directly: the same stored values, without per-value
    processing in SQLAlchemy (bulk import speed)."""
    columns = list(rows[0])
    convert = [index for index, column in enumerate(columns) if _needs_conversion(name, column)]
    names = ", ".join(f'"{column}"' for column in columns)
    sql = f'INSERT INTO "{name}" ({names}) VALUES ({", ".join("?" * len(columns))})'
    if convert:
        params: list[tuple[Any, ...]] = []
        for row in rows:
            values = list(row.values())
            for index in convert:
                values[index] = _sqlite_value(values[index])
            params.append(tuple(values))
    else:
        params = [tuple(row.values()) for row in rows]
    connection.exec_driver_sql(sql, params)  # type: ignore[arg-type]


def _pg_copy(connection: Connection, name: str, rows: list[dict[str, Any]]) -> None:
    """Insert with one `COPY … FROM STDIN` (psycopg's Copy): SQLAlchemy's executemany runs
    one INSERT per row on psycopg, and each INSERT runs the statement triggers of 0017 and
    0019 again (a contact's INSERT rewrote its partner's search document). COPY is one
    statement: the triggers see the chunk's rows at once. psycopg adapts each value as it
    does a query parameter, and the rows hold plain values (no SQLAlchemy type processing
    is involved for these columns: the same values as the SQLite path's)."""
    columns = list(rows[0])
    names = ", ".join(f'"{column}"' for column in columns)
    driver: Any = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(
            f'COPY "{name}" ({names}) FROM STDIN') as copy:
        write = copy.write_row
        if len(columns) == 1:
            for row in rows:
                write((row[columns[0]],))
        else:
            pick = itemgetter(*columns)  # every row's values in the first row's order
            for row in rows:
                write(pick(row))


def _needs_conversion(table: str, column: str) -> bool:
    """True when the column's type is a date, timestamp or boolean."""
    python_type = SQLModel.metadata.tables[table].c[column].type
    return type(python_type).__name__ in ("DateTime", "Date", "Boolean", "DATETIME", "DATE",
                                          "BOOLEAN")


def _update(connection: Connection, name: str, rows: list[dict[str, Any]]) -> None:
    table = SQLModel.metadata.tables[name]
    columns = [column for column in rows[0] if column != "id"]
    statement = update(table).where(table.c.id == bindparam("row_id")).values(
        {column: bindparam(f"v_{column}") for column in columns}
    )
    if name in VERSIONED:
        statement = statement.values(version=table.c.version + 1)
    params = [{"row_id": row["id"], **{f"v_{column}": row[column] for column in columns}}
              for row in rows]
    connection.execute(statement, params)


def fix_sequences(connection: Connection) -> None:
    """On PostgreSQL, move id sequences past the ids this import chose itself."""
    if connection.dialect.name != "postgresql":
        return
    for name in WRITE_ORDER:
        if name == "partner_counterparty":
            continue
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"
        ))
