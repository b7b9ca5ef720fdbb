"""`crm db upgrade`: bring the database schema to the current version."""

from __future__ import annotations

import argparse
from typing import Any

from crm_tui.commands.common import fail, open_database
from crm_tui.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("db", parents=[common], help=_("Database maintenance"))
    actions = parser.add_subparsers(dest="db_action", metavar=_("ACTION"), required=True)
    upgrade = actions.add_parser("upgrade", parents=[common],
                                 help=_("Upgrade the schema (a backup is made first)"))
    upgrade.set_defaults(handler=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    from crm_tui.store.migrate import UpgradeError, current_revision, head_revision

    try:
        database = open_database(args)
    except UpgradeError as error:
        return fail(
            _("upgrade failed, the database was left unchanged: {error}").format(error=error))
    print(_("schema at revision {revision} (latest {head})").format(
        revision=current_revision(database.engine), head=head_revision()))
    return 0
