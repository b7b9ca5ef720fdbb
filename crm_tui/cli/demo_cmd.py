"""`crm demo`: Fill a database with generated demo data."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import Any

from crm_tui.cli.common import fail, open_database
from crm_tui.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("demo", parents=[common],
                                   help=_("Fill a database with generated demo data"))
    parser.add_argument("--size", choices=["small", "large", "huge"], default="small",
                        help=_("how much data to generate (default: small)"))
    parser.add_argument("--seed", type=int, default=1,
                        help=_("random seed; the same seed gives the same data (default: 1)"))
    parser.add_argument("--anchor", metavar="DATE", type=_parse_day, default=None,
                        help=_("the day the data is built around: history before it, planned "
                               "work after it (default: a fixed day, so runs are identical; "
                               "'today' for the current day)"))
    parser.set_defaults(handler=run)


def _parse_day(text: str) -> date:
    from crm_tui.domain import clock

    return clock.now().date() if text == "today" else date.fromisoformat(text)


def anchor_moment(day: date | None) -> datetime:
    """The demo anchor for --anchor (None: the generator's fixed default day)."""
    from crm_tui.exchange.demo import ANCHOR

    return ANCHOR if day is None else datetime.combine(day, datetime.min.time())


def run(args: argparse.Namespace) -> int:
    from crm_tui.cli.import_cmd import print_counts
    from crm_tui.cli.progress import progress
    from crm_tui.exchange.demo import load_demo
    from crm_tui.exchange.errors import ImportFailed

    db = open_database(args)
    try:
        with progress(_("Generating demo data")) as report:
            counts = load_demo(db, args.size, args.seed, anchor_moment(args.anchor), report)
    except ImportFailed as failure:  # a bug in the generator: show what it produced wrong
        for line, message in failure.problems[:20]:
            print(f"{line}: {message}")
        return fail(_("the demo data is not valid"))
    finally:
        db.close()
    print_counts(counts)
    return 0
