"""`crm calendar export FILE.ics [--from DATE] [--to DATE] [--manager LOGIN]`:
write the event calendar (in-progress interactions and open claim tasks, all-day on their
due day; --manager is the task's assignee) as iCalendar events."""

from __future__ import annotations

import argparse
from datetime import date, datetime, time
from typing import Any

from crm_tui.cli.common import fail, open_database
from crm_tui.domain.clock import end_of_day
from crm_tui.i18n import _

EARLIEST = datetime(1900, 1, 1)
LATEST = datetime(9999, 1, 1)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    from crm_tui.cli.report_cmd import parse_date

    parser = subparsers.add_parser("calendar", parents=[common],
                                   help=_("Export the event calendar as iCalendar"))
    actions = parser.add_subparsers(dest="calendar_action", metavar="ACTION", required=True)
    export = actions.add_parser("export", parents=[common],
                                help=_("Write in-progress interactions to an .ics file"))
    export.add_argument("file", metavar="FILE.ics", help=_("the file to write"))
    export.add_argument("--from", dest="date_from", type=parse_date, metavar="DATE",
                        help=_("first day of the period (inclusive)"))
    export.add_argument("--to", dest="date_to", type=parse_date, metavar="DATE",
                        help=_("last day of the period (inclusive)"))
    export.add_argument("--manager", metavar="LOGIN", help=_("only this manager's records"))
    parser.set_defaults(handler=run)


def period(date_from: date | None, date_to: date | None) -> tuple[datetime, datetime]:
    """[start, end) of the export from inclusive --from/--to days (open ends: everything)."""
    start = datetime.combine(date_from, time()) if date_from else EARLIEST
    end = end_of_day(date_to) if date_to else LATEST
    return start, end


def run(args: argparse.Namespace) -> int:
    from crm_tui.calendar_ics import export_ics, write_ics

    start, end = period(args.date_from, args.date_to)
    if end <= start:
        return fail(_("--to must not be before --from"))
    db = open_database(args, read_only=True)
    try:
        data = export_ics(db, start, end, args.manager)
    finally:
        db.close()
    try:
        write_ics(args.file, data)
    except OSError as error:
        return fail(_("cannot write {path}: {reason}").format(path=args.file,
                                                              reason=error.strerror or error))
    events = data.count(b"BEGIN:VEVENT")
    print(_("{count} events written to {path}").format(count=events, path=args.file))
    return 0
