"""A plain sqlite3 connection for reading a SQLite database with this crm-tui's current
schema, without SQLAlchemy (`crm report` on SQLite: importing it was most of a small
report's run).

Only the usual case is handled here: a file URL, an existing file, the current revision.
Anything else — another backend, a missing, older, newer, unversioned or unreadable
database — gives None, and the caller opens the database the usual way
(`Database.open(url, read_only=True)`), which refuses it with its one-line reason."""

from __future__ import annotations

import os
import sqlite3
from urllib.parse import quote, unquote

from crm_tui.store.revisions import head_of, scan_revisions

BUSY_TIMEOUT_S = 5.0  # as store/engine.py's BUSY_TIMEOUT_MS


def sqlite_file(url: str) -> str | None:
    """The file of a `sqlite:///path` URL as config.to_url writes it; None otherwise."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = unquote(url[len(prefix):])
    return path if path and path != ":memory:" else None


def open_current(url: str) -> sqlite3.Connection | None:
    """`url`'s SQLite file opened read-only (`mode=ro`: nothing is created or written),
    when it exists and holds the current schema revision; else None (see above)."""
    path = sqlite_file(url)
    if path is None or not os.path.isfile(path):
        return None
    uri = f"file:{quote(os.path.abspath(path))}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error:
        return None
    try:
        found = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:  # not a database, damaged, no alembic_version table, locked…
        connection.close()
        return None
    if [row[0] for row in found] != [head_of(*scan_revisions())]:
        connection.close()
        return None
    # Reads see one snapshot, as a SQLAlchemy read (a deferred BEGIN) does; read-only, so
    # the foreign key and journal settings of store/engine.py change nothing here.
    connection.execute("BEGIN")
    return connection
