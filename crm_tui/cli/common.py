"""Helpers shared by subcommands: opening the database and reporting errors on stderr."""

from __future__ import annotations

import argparse
import sys

from crm_tui.config import demo_db_path, resolve_db, to_url


def database_url(args: argparse.Namespace) -> str:
    """--db, else the demo database with --demo, else $CRM_DB, else the default."""
    if getattr(args, "demo", False) and not getattr(args, "db", None):
        return to_url(demo_db_path())
    return resolve_db(getattr(args, "db", None))


def open_database(args: argparse.Namespace, *, read_only: bool = False):  # type: ignore[no-untyped-def]
    """Open the database named by --db / --demo / $CRM_DB / the default.

    `read_only` (commands that only read): the database must exist and have this crm-tui's
    schema; it is never created, upgraded or written. Otherwise it is created or upgraded
    as needed. A database that cannot be used raises DatabaseUnusable (one line for the
    user; cli.main prints it). The demo database is made, with its demo data, on first use."""
    from crm_tui.credentials import print_notices
    from crm_tui.store.database import Database

    url = database_url(args)
    if getattr(args, "demo", False) and not getattr(args, "db", None):
        ensure_demo_database(url)
    database = Database.open(url, read_only=read_only)
    print_notices()  # e.g. secrets moved out of the database by the upgrade
    return database


def ensure_demo_database(url: str) -> None:
    """Create the demo database with its data unless it exists (as `crm --demo` does)."""
    from crm_tui.domain import clock
    from crm_tui.exchange.demo import load_demo
    from crm_tui.store.database import Database

    database = Database.open(url)
    try:
        if database.created:
            load_demo(database, "small", seed=1, anchor=clock.now())
    finally:
        database.close()


def fail(message: str, status: int = 1) -> int:
    """Print `message` on stderr prefixed with the program name; return `status`."""
    print(f"crm: {message}", file=sys.stderr)
    return status

