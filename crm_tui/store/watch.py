"""Noticing changes made by other sessions, cheaply.

SQLite: `PRAGMA data_version` on a connection kept open changes whenever another
connection commits. PostgreSQL: LISTEN crm_changes (every write transaction sends NOTIFY
on commit, see store/pg.py). Other backends: the newest change-log id."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:
    from crm_tui.store.pg import ChangeListener


class ChangeWatcher:
    """`changed()` is True when another session committed since the last call."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._last: object = None
        self._listener: ChangeListener | None = None

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
        if self._engine.dialect.name == "postgresql":
            if self._listener is None:  # the first call only starts listening
                from crm_tui.store.pg import ChangeListener

                self._listener = ChangeListener(self._engine)
                return False
            return self._listener.changed()
        value = self._probe()
        changed = self._last is not None and value != self._last
        self._last = value
        return changed

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None
