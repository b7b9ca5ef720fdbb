"""`crm db upgrade`: bring the database schema to the current version; `crm db optimize`:
merge the search index after many small writes."""

from __future__ import annotations

import argparse
from typing import Any

from crm_tui.cli.common import fail, open_database
from crm_tui.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("db", parents=[common], help=_("Database maintenance"))
    actions = parser.add_subparsers(dest="db_action", metavar=_("ACTION"), required=True)
    upgrade = actions.add_parser("upgrade", parents=[common],
                                 help=_("Upgrade the schema (a backup is made first)"))
    upgrade.set_defaults(handler=run_upgrade)
    optimize = actions.add_parser(
        "optimize", parents=[common],
        help=_("Merge the partner search index (faster searches after many writes)"))
    optimize.set_defaults(handler=run_optimize)
    roles = actions.add_parser(
        "server-roles", parents=[common],
        help=_("Print the SQL that makes a PostgreSQL server enforce the roles "
               "(run it as the schema owner)"))
    roles.add_argument("--prefix", default="crm",
                       help=_("the group roles' prefix (default: crm)"))
    roles.set_defaults(handler=run_server_roles)


def _open(args: argparse.Namespace) -> Any:
    """The database, upgraded; None (the failure printed) when the upgrade failed."""
    from crm_tui.store.migrate import UpgradeError

    try:
        return open_database(args)
    except UpgradeError as error:
        fail(_("upgrade failed, the database was left unchanged: {error}").format(error=error))
        return None


def run_upgrade(args: argparse.Namespace) -> int:
    from crm_tui.store.migrate import current_revision, head_revision

    database = _open(args)
    if database is None:
        return 1
    print(_("schema at revision {revision} (latest {head})").format(
        revision=current_revision(database.engine), head=head_revision()))
    return 0


def run_optimize(args: argparse.Namespace) -> int:
    """Merge the partner search index in one write transaction (other users keep reading)."""
    from crm_tui.store.search_index import merge_search_index

    database = _open(args)
    if database is None:
        return 1
    with database.write() as session:
        merge_search_index(session.connection())
    print(_("search index merged"))
    return 0


def run_server_roles(args: argparse.Namespace) -> int:
    """Print the grants and row-level security policies (no database is opened)."""
    from crm_tui.store.pg_roles import server_roles_sql

    if not args.prefix.isidentifier() or not args.prefix.isascii():
        return fail(_("the prefix must be letters, digits and _"), 2)
    print(server_roles_sql(args.prefix.lower()), end="")
    return 0
