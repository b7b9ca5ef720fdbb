"""`crm mail fetch [--user LOGIN]`: fetch new mail once into incoming e-mail interactions
(for cron). The mailbox is the running account's own (its credentials); --user names the
CRM user the interactions are assigned to (default: you)."""

from __future__ import annotations

import argparse
from typing import Any

from crm_tui.cli.common import fail, open_database
from crm_tui.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("mail", parents=[common],
                                   help=_("Incoming e-mail (IMAP)"))
    actions = parser.add_subparsers(dest="mail_action", metavar=_("ACTION"), required=True)
    fetch = actions.add_parser(
        "fetch", parents=[common],
        help=_("Fetch new mail once from your mailbox into interactions (for cron)"))
    fetch.add_argument("--user", metavar="LOGIN",
                       help=_("the user the new interactions belong to (default: you)"))
    fetch.set_defaults(handler=run_fetch)


def run_fetch(args: argparse.Namespace) -> int:
    from crm_tui.credentials import CredentialsError
    from crm_tui.domain.errors import DomainError
    from crm_tui.mail.fetch import fetch_mail
    from crm_tui.store.migrate import UpgradeError

    try:
        database = open_database(args)
    except (DomainError, UpgradeError) as error:
        return fail(str(error))
    try:
        result = fetch_mail(database, args.user)
    except (DomainError, CredentialsError) as error:
        return fail(str(error))
    finally:
        database.close()
    print(_("{new} new e-mail(s), {unknown} from unknown senders; {known} stored before")
          .format(new=result.new, unknown=result.unknown_senders, known=result.known))
    return 0
