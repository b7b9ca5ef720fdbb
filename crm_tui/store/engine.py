"""Engines and sessions.

SQLite: WAL, foreign keys on, a busy timeout, and the driver's own transaction handling
switched off so that we emit BEGIN ourselves: `BEGIN IMMEDIATE` for writers (the write lock
is taken at the start, so read-modify-write cycles of concurrent processes never interleave
and lose updates) and a deferred `BEGIN` for readers (which never block writers under WAL).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

# SQLAlchemy's own create_engine (sqlmodel's is the same function): this module is on the
# way to the app's first data, which needs no ORM (importing it costs ~150 ms).
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import OperationalError

from crm_tui.domain.errors import BusyError
from crm_tui.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

BUSY_TIMEOUT_MS = 5000
# Each connection's own page cache (KiB). The operating system caches the file anyway: with
# SQLite's default 2 MB, the few connections that workers open at once held 8 MB more of
# the app's memory for no measurable speed (reports on the huge demo database take as long
# with 1 MB; benchmarks/run.py). Imports raise it for their own connection.
PAGE_CACHE_KIB = 1024
_WRITE_OPTION = "crm_write"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> str | None:
    """The file behind a SQLite URL, or None for memory databases and other backends."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return parsed.database


def _install_sqlite_hooks(engine: Engine, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal" and not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(_WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for `url` with the project's connection rules installed.

    `read_only`: a SQLite file is opened with `mode=ro`, so nothing is created or written
    (a mistyped path fails instead of becoming a new empty database).

    `hide_parameters`: a database error's message names the statement but not its values
    (typed text, a saved SMTP password), so neither the error log nor a message shows them."""
    if is_sqlite(url):
        path = sqlite_path(url)
        options: dict[str, Any] = {}
        if path and read_only:
            options["creator"] = _read_only_creator(path)
        elif path:
            _prepare_sqlite_file(path)
        # Two idle connections kept: each holds its own page cache (up to 2 MB), and more
        # than two workers rarely read at once; extra connections close when returned.
        # Last in, first out: a read gets the connection used last, whose page and statement
        # caches are warm (taken in turns, a partner search keystroke read 0.35 ms slower).
        engine = create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            pool_size=2, max_overflow=20, pool_use_lifo=True, hide_parameters=True,
            **options,
        )
        _install_sqlite_hooks(engine, read_only)
        return engine
    if make_url(url).get_backend_name() == "postgresql":
        from crm_tui.store import pg

        engine = create_engine(url, hide_parameters=True, **pg.engine_options(url))
        pg.install_hooks(engine, _WRITE_OPTION, BUSY_TIMEOUT_MS)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _read_only_creator(path: str) -> Any:
    """A connect function opening `path` read-only through a URI (the path quoted, so a
    "?" or "#" in it stays part of the file name)."""
    uri = f"file:{quote(os.path.abspath(path))}?mode=ro"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False)

    return connect


def _current_umask() -> int:
    # Reading the umask means setting it; it is put back at once.
    umask = os.umask(0o077)
    os.umask(umask)
    return umask


def _prepare_sqlite_file(path: str) -> None:
    """Create the folder; in a shared (setgid) folder make a new database file
    group-writable.

    SQLite creates database files with mode 0644 whatever the umask allows, and gives the
    -wal and -shm files the mode of the database file. So in a setgid folder we create the
    (empty) database file ourselves, group-readable and -writable; the group comes from
    the folder. The process umask is left alone: exports and other files the app writes
    (there or elsewhere) get the modes the user's umask gives them."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    if os.stat(folder).st_mode & 0o2000:
        umask = _current_umask() & ~0o020
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            return
        try:
            os.fchmod(descriptor, (0o666 & ~umask) | 0o060)
        finally:
            os.close(descriptor)


def is_busy_error(error: BaseException) -> bool:
    """True when `error` is SQLite's "database is locked" (or busy) condition, or
    PostgreSQL's lock timeout (a writer waited too long for the writer lock)."""
    text = str(getattr(error, "orig", error)).lower()
    return "database is locked" in text or "database is busy" in text or "lock timeout" in text


def busy_error() -> BusyError:
    """The error a user sees when another session holds the database too long."""
    return BusyError(_("the database is busy with another user's change; try again"))


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    """A connection for reading plain SQL, without the ORM: a deferred transaction, rolled
    back at the end, that never takes the write lock (like read_session)."""
    try:
        with engine.connect() as connection:
            yield connection
    except OperationalError as error:
        if is_busy_error(error):
            raise busy_error() from error
        raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading: a deferred transaction that never takes the write lock.

    Under WAL a reader is almost never blocked; when it is (a checkpoint or recovery
    holding the lock past the busy timeout), it gets BusyError too."""
    from sqlmodel import Session

    try:
        with Session(engine, expire_on_commit=False) as session:
            yield session
    except OperationalError as error:
        if is_busy_error(error):
            raise busy_error() from error
        raise


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session for one short write transaction, committed at the end of the block.

    On SQLite the transaction starts with BEGIN IMMEDIATE. A lock that stays taken past
    the busy timeout becomes BusyError, with a message fit for the user."""
    from sqlmodel import Session

    try:
        with Session(engine, expire_on_commit=False) as session:
            session.connection(execution_options={_WRITE_OPTION: True})
            yield session
            session.commit()
    except OperationalError as error:
        if is_busy_error(error):
            raise busy_error() from error
        raise
