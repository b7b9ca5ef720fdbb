"""`crm check`: check the database's integrity, foreign keys and invariants."""

from __future__ import annotations

import argparse
from typing import Any

from crm_tui.cli.common import fail, open_database
from crm_tui.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "check", parents=[common],
        help=_("Check the database's integrity, foreign keys and invariants"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print each problem on its own line; exit status 1 if there is any."""
    from sqlalchemy.exc import DBAPIError

    from crm_tui.domain.errors import DomainError
    from crm_tui.store.maintenance import check
    from crm_tui.store.migrate import UpgradeError

    try:
        database = open_database(args, read_only=True)
    except (DomainError, UpgradeError) as error:
        return fail(str(error))
    except DBAPIError as error:  # a damaged file may not even open
        return fail(_("cannot read the database: {error}").format(error=error.orig))
    try:
        problems = check(database.engine)
    except DomainError as error:
        return fail(str(error))
    except DBAPIError as error:
        return fail(_("cannot read the database: {error}").format(error=error.orig))
    finally:
        database.close()
    for problem in problems:
        print(str(problem))
    if problems:
        return fail(_("{count} problem(s) found").format(count=len(problems)))
    print(_("the database is sound"))
    return 0
