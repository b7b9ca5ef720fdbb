"""`crm demo`: Fill a database with generated demo data."""

from __future__ import annotations

import argparse
from typing import Any

from crm_tui.commands.common import not_available
from crm_tui.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("demo", parents=[common], help=_("Fill a database with generated demo data"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    return not_available("demo")
