"""Checks on a database file that need no connection (and no SQLAlchemy, so that the app
can make them before its first frame at no cost), and the error they raise."""

from __future__ import annotations

import os

from crm_tui.domain.errors import DomainError
from crm_tui.i18n import _

SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseUnusable(DomainError):
    """The database cannot be opened or used as asked; the message says why and what to do."""


class NewerDatabaseError(DatabaseUnusable):
    """The database's schema revision is unknown to this crm-tui: a newer one made it."""

    def __init__(self, revision: str) -> None:
        super().__init__(_("this database was made by a newer crm-tui (revision {revision}); "
                           "upgrade crm-tui").format(revision=revision))
        self.revision = revision


def check_path(path: str, *, must_exist: bool) -> None:
    """Refuse a folder, a missing file (when `must_exist`), a file that is not SQLite, a
    new file in a folder nobody may create it in."""
    if os.path.isdir(path):
        raise DatabaseUnusable(_("{path} is a folder, not a database file; give a file path "
                                 "with --db").format(path=path))
    if not os.path.exists(path):
        if must_exist:
            raise DatabaseUnusable(_("no database at {path}; check the path given with --db "
                                     "or $CRM_DB").format(path=path))
        _check_can_create(path)
        return
    _check_is_sqlite(path)


def _check_can_create(path: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    existing = folder
    while not os.path.isdir(existing):  # the nearest folder that exists decides
        parent = os.path.dirname(existing)
        if parent == existing:
            break
        existing = parent
    if not os.access(existing, os.W_OK | os.X_OK):
        raise DatabaseUnusable(_("cannot create a database at {path}: folder {folder} is not "
                                 "writable; choose another place with --db or $CRM_DB").format(
                                     path=path, folder=existing))


def _check_is_sqlite(path: str) -> None:
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise DatabaseUnusable(_("cannot read {path}: {reason}; check its permissions").format(
            path=path, reason=error.strerror or error)) from error
    if header and header != SQLITE_HEADER:
        raise not_a_database(path)


def not_a_database(path: str) -> DatabaseUnusable:
    return DatabaseUnusable(_("{path} is not a crm-tui database (not an SQLite file); check "
                              "the path given with --db").format(path=path))


