"""`crm import`: Import a file in the exchange format (all or nothing)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crm_tui.cli.common import fail, open_database
from crm_tui.i18n import _

# Problems printed one per line; a binary file would print one for each of its lines.
SHOWN_PROBLEMS = 100


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("import", parents=[common],
                                   help=_("Import a file in the exchange format (all or nothing)"))
    parser.add_argument("file", help=_("the JSON Lines file to import"))
    parser.set_defaults(handler=run)


def print_counts(counts: dict[str, int]) -> None:
    """One line per record type that has records, then the total."""
    for kind, count in counts.items():
        if count:
            print(f"{kind}: {count}")
    print(_("total: {count}").format(count=sum(counts.values())))


def run(args: argparse.Namespace) -> int:
    from crm_tui.cli.progress import progress
    from crm_tui.domain.errors import DomainError
    from crm_tui.exchange.errors import ImportFailed
    from crm_tui.exchange.importer import import_file

    try:
        db = open_database(args)
    except Exception as error:
        return fail(str(error))
    try:
        with progress(_("Importing"), _file_size(args.file)) as report:
            counts = import_file(db, args.file, report)
    except OSError as error:
        return fail(_("cannot read {path}: {error}").format(path=args.file, error=error.strerror))
    except ImportFailed as failure:
        for line, message in failure.problems[:SHOWN_PROBLEMS]:
            print(f"{line}: {message}", file=sys.stderr)
        if failure.count > SHOWN_PROBLEMS:
            print(_("… and {count} more").format(count=failure.count - SHOWN_PROBLEMS),
                  file=sys.stderr)
        return fail(_("nothing was imported: {count} problem(s) found").format(
            count=failure.count))
    except DomainError as error:
        return fail(str(error))
    finally:
        db.close()
    print_counts(counts)
    return 0


def _file_size(path: str) -> int | None:
    """The size to show progress against (None for a pipe or a file that cannot be read:
    opening it reports that)."""
    import os
    import stat

    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None
