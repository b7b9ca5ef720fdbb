"""`crm import-csv` / `crm export-csv`: partners as CSV for people coming from spreadsheets."""

from __future__ import annotations

import argparse
from typing import Any

from crm_tui.commands.common import not_available
from crm_tui.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    importer = subparsers.add_parser("import-csv", parents=[common],
                                     help=_("Import partners from a CSV file with a header row"))
    importer.add_argument("what", choices=["partners"])
    importer.add_argument("file")
    importer.set_defaults(handler=run_import)
    exporter = subparsers.add_parser("export-csv", parents=[common],
                                     help=_("Export partners to a CSV file"))
    exporter.add_argument("what", choices=["partners"])
    exporter.add_argument("file")
    exporter.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace) -> int:
    return not_available("import-csv")


def run_export(args: argparse.Namespace) -> int:
    return not_available("export-csv")
