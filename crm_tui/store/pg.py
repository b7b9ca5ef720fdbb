"""PostgreSQL specifics: connection rules, LISTEN/NOTIFY live refresh and edit locks.

Transactions behave as on SQLite (see `engine.py`), so code written and tested against one
backend is correct on the other:

- A write transaction (`db.write()`) first takes one transaction-scoped advisory lock
  (`pg_advisory_xact_lock(WRITER_LOCK)`), the counterpart of SQLite's `BEGIN IMMEDIATE`:
  writers run one after another, so a read-modify-write cycle (read a row, compute, write
  it back; `next_key()`; the importer's lookups) can never interleave with another
  process's and lose an update. It runs at READ COMMITTED, so once the lock is held every
  statement sees everything committed before. Waiting longer than `lock_timeout` (the
  SQLite busy timeout) fails with "lock timeout", which `write_session` turns into
  `BusyError`. Readers never take it and are never blocked.
- A read transaction runs at REPEATABLE READ: one consistent snapshot for all its
  statements, like a SQLite read transaction under WAL (reports and exports never see
  half of another user's commit).
- Every write transaction also queues `NOTIFY crm_changes`; PostgreSQL delivers it only
  if the transaction commits, so `ChangeListener` (used by `store.watch.ChangeWatcher`)
  learns of every commit without polling any table.
- `application_name` is `crm-tui/<login>`, which `lock_for_edit` shows as "being edited
  by <login>".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, event, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, SQLModel

from crm_tui.domain.errors import DomainError, NotFoundError
from crm_tui.i18n import _

CHANNEL = "crm_changes"
# An arbitrary constant naming the one writer lock of a crm-tui database (ASCII "crmW").
WRITER_LOCK = 0x63726D57
APPLICATION_PREFIX = "crm-tui/"
LOCK_NOT_AVAILABLE = "55P03"


class RecordLockedError(DomainError):
    """Another session holds the edit lock of the record (`holder` names who, if known)."""

    def __init__(self, message: str, holder: str | None) -> None:
        super().__init__(message)
        self.holder = holder


CONNECT_TIMEOUT_S = 5


def engine_options(url: str = "") -> dict[str, Any]:
    """Keyword arguments for `create_engine` on PostgreSQL.

    A connect timeout (unless the URL sets its own): a server that accepts the connection
    and never answers would otherwise hold `crm` for minutes."""
    from sqlalchemy.engine import make_url

    options: dict[str, Any] = {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5}
    if not url or "connect_timeout" not in make_url(url).query:
        options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
    return options


def install_hooks(engine: Engine, write_option: str, busy_timeout_ms: int) -> None:
    """Per-connection settings and the per-transaction rules described in the module doc."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        from crm_tui.store.users import current_login

        name = (APPLICATION_PREFIX + current_login())[:63]
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT set_config('application_name', %s, false)", (name,))
        dbapi_connection.commit()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(write_option):
            connection.exec_driver_sql(
                f"SET LOCAL lock_timeout = '{int(busy_timeout_ms)}ms'; "
                f"SELECT pg_advisory_xact_lock({WRITER_LOCK}); "
                f"NOTIFY {CHANNEL}"
            )
        else:
            connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


class ChangeListener:
    """`LISTEN crm_changes` on a connection of its own (outside the pool, autocommit).

    `changed()` drains the notifications that arrived since the last call without waiting;
    `wait(timeout)` blocks until one arrives (for a thread that wants no timer at all)."""

    def __init__(self, engine: Engine) -> None:
        raw = engine.raw_connection()
        connection: Any = raw.driver_connection
        assert connection is not None
        raw.detach()  # LISTEN state must never go back to the pool
        self._raw = raw
        connection.rollback()
        connection.autocommit = True
        connection.execute(f"LISTEN {CHANNEL}")
        self._connection = connection

    def changed(self) -> bool:
        """True when some write transaction committed since the last call."""
        return any(True for _ in self._connection.notifies(timeout=0.0))

    def wait(self, timeout: float) -> bool:
        """Block up to `timeout` seconds for a commit; True if one happened."""
        received = any(True for _ in self._connection.notifies(timeout=timeout, stop_after=1))
        return self.changed() or received

    def close(self) -> None:
        self._raw.close()


def lock_for_edit(session: Session, table_name: str, record_id: int) -> None:
    """Lock row `record_id` of `table_name` for the rest of `session`'s transaction.

    Meant for a form that keeps its own session open while the user edits: a second form on
    the same record gets RecordLockedError "being edited by X" at once (`FOR UPDATE
    NOWAIT`) instead of finding a conflict at save time. The form releases the lock by
    ending its session (rollback) and then saves as usual with `update_versioned`, whose
    version check still guards the short gap. On SQLite this only checks that the row
    exists (SQLite has no row locks; the version columns do the work). When the lock is
    refused the session is rolled back."""
    table: Table = SQLModel.metadata.tables[table_name]
    query = select(table.c.id).where(table.c.id == record_id)
    if session.get_bind().dialect.name != "postgresql":
        if session.execute(query).first() is None:
            raise NotFoundError(_("the record no longer exists"))
        return
    try:
        found = session.execute(query.with_for_update(nowait=True)).first()
    except OperationalError as error:
        if getattr(error.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        # Not in a savepoint: the lock must belong to the top transaction, whose id is
        # what the row's xmax names for the next one who asks.
        session.rollback()
        try:
            holder = lock_holder(session, table_name, record_id)
        finally:
            session.rollback()
        raise RecordLockedError(
            _("this record is being edited by {user}").format(user=holder)
            if holder else _("this record is being edited by another user"),
            holder,
        ) from error
    if found is None:
        raise NotFoundError(_("the record no longer exists"))


def lock_holder(session: Session, table_name: str, record_id: int) -> str | None:
    """The login of the session holding the row lock: the row's xmax is the locking
    transaction, whose backend pg_locks and pg_stat_activity name."""
    table: Table = SQLModel.metadata.tables[table_name]  # a known table, never user text
    xid = session.execute(
        text(f'SELECT xmax::text FROM "{table.name}" WHERE id = :id'), {"id": record_id}
    ).scalar()
    if not xid or xid == "0":
        return None
    found = session.execute(
        text(
            "SELECT a.application_name, a.usename FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' "
            "AND l.transactionid::text = :xid LIMIT 1"
        ),
        {"xid": xid},
    ).first()
    if found is None:
        return None
    application, role = found
    if application and application.startswith(APPLICATION_PREFIX):
        return str(application[len(APPLICATION_PREFIX):])
    return str(role) if role else None


def analyze_after_load(connection: Connection) -> None:
    """Refresh the planner's statistics after a bulk load, inside its transaction (PostgreSQL
    counts the transaction's own new rows). Until autovacuum gets to the new tables the
    planner would take the freshly filled tables for empty and choose plans for that (a
    sequential scan of 2M interactions for the inbox's first page). No-op on SQLite, whose
    planner needs no statistics for the app's index-backed reads."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("ANALYZE")
