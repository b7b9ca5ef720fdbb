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
    from crm_tui.app import CrmApp

    app = CrmApp(url, language=current_language(), demo=bool(args.demo))
    app.run()
    return int(app.return_code or 0)
