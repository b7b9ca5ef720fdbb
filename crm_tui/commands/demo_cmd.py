"""`crm demo`: Fill a database with generated demo data."""

from __future__ import annotations

import argparse
from typing import Any

from crm_tui.commands.common import fail, open_database
from crm_tui.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("demo", parents=[common],
                                   help=_("Fill a database with generated demo data"))
    parser.add_argument("--size", choices=["small", "large", "huge"], default="small",
                        help=_("how much data to generate (default: small)"))
    parser.add_argument("--seed", type=int, default=1,
                        help=_("random seed; the same seed gives the same data (default: 1)"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from crm_tui.commands.import_cmd import print_counts
    from crm_tui.exchange.demo import load_demo
    from crm_tui.exchange.errors import ImportFailed

    db = open_database(args)
    try:
        counts = load_demo(db, args.size, args.seed)
    except ImportFailed as failure:  # a bug in the generator: show what it produced wrong
        for line, message in failure.problems[:20]:
            print(f"{line}: {message}")
        return fail(_("the demo data is not valid"))
    finally:
        db.close()
    print_counts(counts)
    return 0
