"""`crm backup FILE`: make a consistent copy of the database while others keep working."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from crm_tui.cli.common import fail, open_database
from crm_tui.i18n import _

if TYPE_CHECKING:
    from crm_tui.store.database import Database


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "backup", parents=[common],
        help=_("Make a consistent copy of the database while others keep working"))
    parser.add_argument("file", metavar=_("FILE"), help=_("where to write the copy"))
    parser.add_argument("--force", action="store_true",
                        help=_("replace FILE if it exists"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from crm_tui.cli.progress import progress
    from crm_tui.domain.errors import DomainError
    from crm_tui.store.maintenance import BackupError, backup
    from crm_tui.store.migrate import UpgradeError

    try:
        database = open_database(args, read_only=True)
    except (DomainError, UpgradeError) as error:
        return fail(str(error))
    try:
        # On a terminal: pages copied of the whole, their rate and the time left.
        with progress(_("Backing up"), _page_count(database), unit="pages") as report:
            target = backup(database.engine, args.file, overwrite=args.force,
                            progress=None if report is None
                            else lambda copied, _total: report(copied, copied))
    except BackupError as error:
        return fail(str(error))
    finally:
        database.close()
    print(_("backup written to {path}").format(path=target))
    return 0


def _page_count(database: Database) -> int | None:
    """The SQLite file's pages: what the backup will copy (None on PostgreSQL)."""
    if database.dialect != "sqlite":
        return None
    with database.read_plain() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    return int(pages) if pages is not None else None

