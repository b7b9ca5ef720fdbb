"""Why a database cannot be used, in one line for the user: the one place that turns a
folder, a text file, a damaged file, missing permissions, an unreachable server, a missing
driver or an unknown URL (and a schema too new or too old) into a message saying what is
wrong, where, and what to do."""

from __future__ import annotations

import os
import sqlite3

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from crm_tui.i18n import _
from crm_tui.store.open_checks import (  # noqa: F401 - re-exported: the errors live there
    SQLITE_HEADER,
    DatabaseUnusable,
    NewerDatabaseError,
    check_path,
    not_a_database,
)


def _sqlite_file(url: str) -> str | None:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return str(parsed.database)


def _location(url: str) -> str:
    """Host and port of a server URL, for messages (never the password)."""
    parsed = make_url(url)
    host = parsed.host or "localhost"
    return f"{host}:{parsed.port}" if parsed.port else host


def precheck(url: str, *, must_exist: bool) -> None:
    """Refuse what can be told without connecting: an unknown URL, a folder, a missing
    file (when `must_exist`), a file that is not SQLite, a folder nobody may create in."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise unknown_url(url) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise unknown_url(url)
    path = _sqlite_file(url)
    if path is not None:
        check_path(path, must_exist=must_exist)


def unknown_url(url: str) -> DatabaseUnusable:
    from crm_tui.config import describe_url

    return DatabaseUnusable(_("{url} is not a database crm-tui can open; give a file path or "
                              "a postgresql+psycopg://… URL").format(url=describe_url(url)))


def explain(error: BaseException, url: str) -> DatabaseUnusable | None:
    """The one-line reason for `error` raised while opening or using `url`, or None when it
    is not about the database itself (a bug, to be reported as such)."""
    if isinstance(error, DatabaseUnusable):
        return error
    cause = error
    # An upgrade failure wraps the driver's error; so may other layers.
    while not isinstance(cause, (DBAPIError, sqlite3.Error, OSError, ImportError,
                                 NoSuchModuleError)) and cause.__cause__ is not None:
        cause = cause.__cause__
    if isinstance(cause, NoSuchModuleError):
        return unknown_url(url)
    if isinstance(cause, ImportError):
        return DatabaseUnusable(_("the PostgreSQL driver is not installed; install it with "
                                  "pip install 'crm-tui[postgres]'"))
    path = _sqlite_file(url)
    if path is not None:
        return _explain_sqlite(cause, path)
    if isinstance(cause, DBAPIError) and make_url(url).get_backend_name() == "postgresql":
        return _explain_postgresql(cause, url)
    return None


def _explain_sqlite(cause: BaseException, path: str) -> DatabaseUnusable | None:
    if isinstance(cause, PermissionError) or (
            isinstance(cause, OSError) and cause.errno in (13, 30)):
        return _no_permission(path)
    if isinstance(cause, OSError):
        return DatabaseUnusable(_("cannot open {path}: {reason}").format(
            path=path, reason=cause.strerror or cause))
    text = str(getattr(cause, "orig", None) or cause).lower()
    if "file is not a database" in text:
        if _has_sqlite_header(path):
            return _damaged(path)
        return not_a_database(path)
    if "malformed" in text or "disk image" in text or "corrupt" in text:
        return _damaged(path)
    if "readonly" in text or "read-only" in text or "unable to open database file" in text:
        if os.path.isdir(path):
            return DatabaseUnusable(_("{path} is a folder, not a database file; give a file "
                                      "path with --db").format(path=path))
        return _no_permission(path)
    return None


def _has_sqlite_header(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _damaged(path: str) -> DatabaseUnusable:
    return DatabaseUnusable(_("the database {path} is damaged; restore it from a backup "
                              "(see docs/multi-user.md)").format(path=path))


def _no_permission(path: str) -> DatabaseUnusable:
    return DatabaseUnusable(_("no permission to use {path}: the file and its folder must be "
                              "readable and writable by you (see docs/multi-user.md)").format(
                                  path=path))


def _explain_postgresql(cause: DBAPIError, url: str) -> DatabaseUnusable | None:
    if not isinstance(cause, OperationalError):  # connected: a query failed, not the server
        return None
    reason = str(cause.orig or cause).strip().splitlines()
    first = reason[0] if reason else type(cause).__name__
    if "timeout" in first.lower():
        return DatabaseUnusable(_("the PostgreSQL server at {location} did not answer in time; "
                                  "check that it runs and the URL").format(
                                      location=_location(url)))
    return DatabaseUnusable(_("cannot connect to the PostgreSQL server at {location}: {reason}; "
                              "check that it runs and the URL").format(
                                  location=_location(url), reason=first))
