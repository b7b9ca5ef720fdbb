"""`crm` without a subcommand: the TUI."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from crm_tui.config import default_db_path, demo_db_path, resolve_db, to_url
from crm_tui.i18n import current_language


def run_tui(args: argparse.Namespace) -> int:
    demo = bool(args.demo) and not args.db
    url = to_url(demo_db_path()) if demo else resolve_db(args.db)
    chosen = str(demo_db_path()) if demo else (
        args.db or os.environ.get("CRM_DB") or str(default_db_path()))
    if "://" not in chosen:
        from crm_tui.store.open_checks import DatabaseUnusable, check_path

        # What a file path tells without connecting (a folder, a text file, a place nobody
        # may create a database in) is said in one line before the screen starts; the rest
        # the app shows when the database opens.
        try:
            check_path(str(Path(chosen).expanduser().resolve()), must_exist=False)
        except DatabaseUnusable as error:
            print(f"crm: {error}", file=sys.stderr)
            return 1
    _utf8_screen()
    from crm_tui.app import CrmApp

    app = CrmApp(url, language=current_language(), demo=bool(args.demo))
    app.run()
    return int(app.return_code or 0)


def _utf8_screen() -> None:
    """The screen is drawn in UTF-8 whatever the locale says: under LC_ALL=C or
    PYTHONIOENCODING=ascii Textual's box and block characters (and Russian) would otherwise
    fail to encode (a terminal that runs a TUI today speaks UTF-8; a C locale usually just
    came with an SSH session that did not forward the user's)."""
    for stream in (sys.__stdout__, sys.__stderr__):  # Textual draws on stderr
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if reconfigure is not None and encoding != "utf8":
            reconfigure(encoding="utf-8", errors="replace")
