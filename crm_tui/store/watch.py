"""Noticing changes made by other sessions, cheaply.

SQLite: `PRAGMA data_version` on a connection kept open changes whenever another
connection commits. Other backends: a count of change-log rows (PostgreSQL may override
this with LISTEN/NOTIFY)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine


class ChangeWatcher:
    """`changed()` is True when another session committed since the last call."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._last: object = None

    def _probe(self) -> object:
        if self._connection is None:
            self._connection = self._engine.connect()
        if self._engine.dialect.name == "sqlite":
            value = self._connection.exec_driver_sql("PRAGMA data_version").scalar()
        else:
            value = self._connection.execute(
                text("SELECT max(id) FROM change_log")).scalar()
        self._connection.rollback()
        return value

    def changed(self) -> bool:
        value = self._probe()
        changed = self._last is not None and value != self._last
        self._last = value
        return changed

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
