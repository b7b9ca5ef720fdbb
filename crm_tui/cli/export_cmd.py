"""`crm export`: Export the whole database in the exchange format."""

from __future__ import annotations

import argparse
from typing import Any

from crm_tui.cli.common import fail, open_database
from crm_tui.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("export", parents=[common],
                                   help=_("Export the whole database in the exchange format"))
    parser.add_argument("file", help=_("the JSON Lines file to write"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from crm_tui.cli.import_cmd import print_counts
    from crm_tui.cli.progress import progress
    from crm_tui.exchange.exporter import export_file

    db = open_database(args, read_only=True)
    try:
        with progress(_("Exporting")) as report:
            counts = export_file(db, args.file, report)
    except OSError as error:
        return fail(_("cannot write {path}: {error}").format(
            path=args.file, error=error.strerror or error))
    finally:
        db.close()
    print_counts(counts)
    return 0
