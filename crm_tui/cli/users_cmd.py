"""`crm users`: list users; `crm users set-role LOGIN ROLE` (administrators only)."""

from __future__ import annotations

import argparse
from typing import Any

from crm_tui.cli.common import fail, open_database
from crm_tui.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("users", parents=[common],
                                   help=_("List users and set their roles"))
    parser.set_defaults(handler=run_list)
    actions = parser.add_subparsers(dest="users_action", metavar=_("ACTION"))
    listing = actions.add_parser("list", parents=[common], help=_("List users and their roles"))
    listing.set_defaults(handler=run_list)
    set_role = actions.add_parser(
        "set-role", parents=[common],
        help=_("Set a user's role: manager, supervisor or admin (administrators only)"))
    set_role.add_argument("login", metavar=_("LOGIN"))
    set_role.add_argument("role", metavar=_("ROLE"))
    set_role.set_defaults(handler=run_set_role)


def run_list(args: argparse.Namespace) -> int:
    from crm_tui.domain.enums import LABELS
    from crm_tui.domain.errors import DomainError
    from crm_tui.domain.text import escape_controls
    from crm_tui.store.migrate import UpgradeError
    from crm_tui.store.repo_users import list_users, no_admin_hint
    from crm_tui.store.users import current_login, has_admin

    try:
        database = open_database(args, read_only=True)
        with database.read() as session:
            users = list_users(session)
            hint = None if has_admin(session) else no_admin_hint(session)
    except (DomainError, UpgradeError) as error:
        return fail(str(error))
    me = current_login()
    width = max([len(user.login) for user in users] + [5])
    for user in users:
        marker = "*" if user.login == me else " "
        role = _(LABELS.get(user.role, user.role))
        print(f"{marker} {escape_controls(user.login):<{width}}  {role:<14}  "
              f"{escape_controls(user.name)}")
    if not users:
        print(_("no users yet"))
    if hint is not None:
        print(hint)
    return 0


def run_set_role(args: argparse.Namespace) -> int:
    from crm_tui.domain.enums import LABELS
    from crm_tui.domain.errors import DomainError
    from crm_tui.store.migrate import UpgradeError
    from crm_tui.store.repo_users import set_role

    try:
        database = open_database(args)
        with database.write() as session:
            user = set_role(session, args.login, args.role)
    except (DomainError, UpgradeError) as error:
        return fail(str(error))
    print(_("{login} is now {role}").format(login=user.login,
                                            role=_(LABELS.get(user.role, user.role))))
    return 0
