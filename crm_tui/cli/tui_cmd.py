"""`crm` without a subcommand: the TUI."""

from __future__ import annotations

import argparse

from crm_tui.config import demo_db_path, resolve_db, to_url
from crm_tui.i18n import current_language


def run_tui(args: argparse.Namespace) -> int:
    from crm_tui.app import CrmApp

    url = to_url(demo_db_path()) if args.demo and not args.db else resolve_db(args.db)
    app = CrmApp(url, language=current_language(), demo=bool(args.demo))
    app.run()
    return int(app.return_code or 0)
