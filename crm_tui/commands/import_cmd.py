"""`crm import`: Import a file in the exchange format (all or nothing)."""

from __future__ import annotations

import argparse
from typing import Any

from crm_tui.commands.common import not_available
from crm_tui.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("import", parents=[common], help=_("Import a file in the exchange format (all or nothing)"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    return not_available("import")
