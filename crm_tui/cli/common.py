"""Helpers shared by subcommands: opening the database and reporting errors on stderr."""

from __future__ import annotations

import argparse
import sys

from crm_tui.config import resolve_db


def open_database(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Open (creating or upgrading) the database named by --db / $CRM_DB / the default."""
    from crm_tui.credentials import print_notices
    from crm_tui.store.database import Database

    database = Database.open(resolve_db(getattr(args, "db", None)))
    print_notices()  # e.g. secrets moved out of the database by the upgrade
    return database


def fail(message: str, status: int = 1) -> int:
    """Print `message` on stderr prefixed with the program name; return `status`."""
    print(f"crm: {message}", file=sys.stderr)
    return status

