"""`crm report NAME`: print a report as a table, CSV, JSON or an xlsx workbook."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from crm_tui.cli.common import fail, open_database
from crm_tui.cli.terminal import raw
from crm_tui.i18n import _

BOM = "\ufeff"

_OPTION_OF_FILTER = {
    "from": "date_from",
    "to": "date_to",
    "manager": "manager",
    "region": "region",
    "kind": "kind",
    "now": "now",
}


def parse_date(text: str) -> date:
    """A date option value (argparse type): YYYY-MM-DD, or 31.12.2027 / 31.12.27."""
    from crm_tui.domain.formatting import read_date

    try:
        return read_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a date (YYYY-MM-DD or DD.MM.YYYY): {value}").format(value=text)
        ) from None


def parse_timestamp(text: str) -> datetime:
    """A `YYYY-MM-DDTHH:MM[:SS]` (or `YYYY-MM-DD`) option value (argparse type)."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a timestamp (YYYY-MM-DDTHH:MM): {value}").format(value=text)
        ) from None


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    from crm_tui.reports.catalog import FORMATS, REPORTS

    names = ", ".join(spec.name for spec in REPORTS)
    parser = subparsers.add_parser(
        "report", parents=[common], help=_("Print a report"),
        description=_("Print a report. Reports: {names}.").format(names=names),
    )
    parser.add_argument("name", metavar="NAME", help=_("the report: {names}").format(names=names))
    parser.add_argument("--from", dest="date_from", type=parse_date, metavar="DATE",
                        help=_("first day of the period (inclusive)"))
    parser.add_argument("--to", dest="date_to", type=parse_date, metavar="DATE",
                        help=_("last day of the period (inclusive)"))
    parser.add_argument("--manager", metavar="LOGIN", help=_("only this manager's records"))
    parser.add_argument("--region", metavar="CODE", help=_("only partners of this region"))
    parser.add_argument("--kind", metavar="CODE", help=_("only deals of this kind"))
    parser.add_argument("--now", type=parse_timestamp, metavar="TIMESTAMP",
                        help=_("the moment overdue is measured from (default: now)"))
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help=_("output format (default: table)"))
    parser.add_argument("--output", metavar="FILE", help=_("write to FILE instead of stdout"))
    parser.add_argument(
        "--csv-style", choices=("plain", "spreadsheet"), default="plain",
        help=_("CSV for programs (plain: field names, commas, as the reports spec says; the "
               "default) or for a spreadsheet of the interface language (column titles, a BOM; "
               "in Russian semicolons and decimal commas)"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from crm_tui.cli.progress import busy
    from crm_tui.reports import outputs
    from crm_tui.reports.base import ReportError, ReportParams
    from crm_tui.reports.registry import report_filters

    try:
        filters = report_filters(args.name)
    except ReportError as error:
        return fail(str(error), 2)
    if args.format == "xlsx" and not args.output:
        return fail(_("--format xlsx needs --output FILE"), 2)
    if args.csv_style != "plain" and args.format != "csv":
        return fail(_("--csv-style applies to --format csv only"), 2)
    for name, attribute in _OPTION_OF_FILTER.items():
        if getattr(args, attribute) is not None and name not in filters:
            message = _("--{option} does not apply to {report}; ignored")
            print(f"crm: {message.format(option=name, report=args.name)}", file=sys.stderr)
    params = ReportParams(
        **{attr: getattr(args, attr) for name, attr in _OPTION_OF_FILTER.items() if name in filters}
    )
    try:
        # A big report (the event calendar of a large office) shows it is working.
        with busy(_("Computing the report")):
            result = _compute(args, params)
    except ReportError as error:
        return fail(str(error), 2)
    if not args.output:
        if args.format == "table":
            from rich.console import Console

            # Rich's own styling must reach the terminal; the cells come escaped
            outputs.print_table(result, Console(file=raw(sys.stdout)))
        elif args.format == "json":
            sys.stdout.write(outputs.to_json(result))
        else:
            text = outputs.to_csv(result, _csv_style(args))
            if text.startswith(BOM):  # the escaping writer would show it as \ufeff
                raw(sys.stdout).write(BOM)
            sys.stdout.write(text.removeprefix(BOM))
        return 0
    try:
        _write(result, args.format, Path(args.output), _csv_style(args))
    except OSError as error:
        return fail(_("cannot write {path}: {error}").format(
            path=args.output, error=error.strerror or error))
    return 0


def _compute(args: argparse.Namespace, params: Any) -> Any:
    """The report, on SQLite as plain sqlite3 with the SQL compiled ahead (no SQLAlchemy
    imported: most of a small report's run); elsewhere, or when the database is not simply
    current and readable, the usual way, which says what is wrong with it."""
    import sqlite3

    from crm_tui.cli.common import database_url
    from crm_tui.reports.registry import compute, compute_on_sqlite
    from crm_tui.store.sqlite_read import open_current

    plain = open_current(database_url(args))
    if plain is not None:
        try:
            return compute_on_sqlite(plain, args.name, params)
        except sqlite3.Error:
            pass  # busy, damaged…: the usual way below explains it in one line
        finally:
            plain.close()
    db = open_database(args, read_only=True)
    try:
        return compute(db, args.name, params)
    finally:
        db.close()


def _csv_style(args: argparse.Namespace) -> Any:
    from crm_tui.i18n import current_language
    from crm_tui.reports.outputs import csv_style

    return csv_style(args.csv_style, current_language())


def _write(result: Any, fmt: str, path: Path, style: Any) -> None:
    """Write the report to `path`, replacing it only once complete (crm_tui.atomic)."""
    from crm_tui.atomic import replacing, text_writer
    from crm_tui.reports import outputs

    if fmt == "xlsx":
        with replacing(path) as temporary:
            outputs.write_xlsx(result, temporary)
    elif fmt == "table":
        from rich.console import Console

        with text_writer(path) as handle:
            outputs.print_table(result, Console(file=handle, width=160))
    else:
        with text_writer(path, newline="") as handle:
            handle.write(outputs.to_json(result) if fmt == "json"
                         else outputs.to_csv(result, style))
