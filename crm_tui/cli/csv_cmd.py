"""`crm import-csv` / `crm export-csv`: partners as CSV for people coming from spreadsheets.

Columns (header row, any order, unknown columns refused): name (required), inn, kpp, ogrn,
short_name, full_name, address, region (code or name), roles (client, supplier, competitor,
other; separated by "," or ";"; default client), manager (login), contact, phone, email,
comment. Import is all or nothing: every problem is printed as `LINE: message` on stderr and
nothing is written. A key updates that partner; a row without one whose INN (+KPP) is an
existing partner's is refused unless --on-duplicate says update or skip (cli/csv_import.py).
"""

from __future__ import annotations

import argparse
import csv
import sys
from typing import Any

from crm_tui.cli.common import fail, open_database
from crm_tui.i18n import _

COLUMNS = ("key", "name", "inn", "kpp", "ogrn", "short_name", "full_name", "address", "region",
           "roles", "manager", "contact", "phone", "email", "comment")
EXPORT_COLUMNS = ("key", "name", "inn", "kpp", "region", "roles", "manager", "phone", "email")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    importer = subparsers.add_parser("import-csv", parents=[common],
                                     help=_("Import partners from a CSV file with a header row"))
    importer.add_argument("what", choices=["partners"])
    importer.add_argument("file")
    importer.add_argument(
        "--on-duplicate", choices=["update", "skip"], default=None,
        help=_("what to do with a row without a key whose INN (+KPP) is an existing partner's: "
               "update that partner or skip the row (default: refuse, listing the lines)"))
    importer.set_defaults(handler=run_import)
    exporter = subparsers.add_parser("export-csv", parents=[common],
                                     help=_("Export partners to a CSV file"))
    exporter.add_argument("what", choices=["partners"])
    exporter.add_argument("file")
    exporter.add_argument(
        "--csv-style", choices=("plain", "spreadsheet"), default=None,
        help=_("plain: commas; spreadsheet: a BOM, and semicolons in Russian (default: "
               "spreadsheet in Russian, plain in English); the header keeps the column names "
               "import-csv reads"))
    exporter.set_defaults(handler=run_export)


def read_rows(path: str) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """The data rows with their line numbers, and problems with the file itself. Every
    row has every column of the header row (empty when the line has no value)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(handle, dialect=dialect)
        header = [h.strip().casefold() for h in reader.fieldnames or []]
        unknown = [h for h in header if h not in COLUMNS]
        if "name" not in header:
            return [], ["1: " + _("the header row must have a name column")]
        if unknown:
            return [], ["1: " + _("unknown columns: {names}").format(names=", ".join(unknown))]
        reader.fieldnames = header
        rows = []
        for row in reader:
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            rows.append((reader.line_num, unguarded(row)))
        return rows, []


def unguarded(row: dict[str, Any]) -> dict[str, str]:
    """A row's values without the `'` that export-csv puts before formula-like text; every
    column of the header row is there (empty when the line has no value for it)."""
    from crm_tui.domain.spreadsheet import unguard_cell

    return {k: unguard_cell(v) if isinstance(v, str) else "" for k, v in row.items()
            if isinstance(k, str)}


def run_import(args: argparse.Namespace) -> int:
    try:
        rows, problems = read_rows(args.file)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        return fail(_("cannot read {path}: {error}").format(path=args.file, error=error))
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    from crm_tui.cli.csv_import import import_partners

    columns = frozenset(rows[0][1]) if rows else frozenset()
    db = open_database(args)
    try:
        counts = import_partners(db, rows, columns, args.on_duplicate)
    finally:
        db.close()
    for problem in counts.problems:
        print(problem, file=sys.stderr)
    if counts.problems:
        return 1
    print(_("Partners imported: {count}").format(count=counts.created))
    if counts.updated or counts.unchanged or counts.skipped:
        print(_("Partners updated: {updated}, unchanged: {unchanged}, skipped: {skipped}")
              .format(updated=counts.updated, unchanged=counts.unchanged,
                      skipped=counts.skipped))
    return 0


def _spreadsheet(style: str | None) -> bool:
    """Whether the file is for a spreadsheet: asked, or by default in Russian (a Russian
    Excel splits on semicolons and needs the BOM to read UTF-8)."""
    from crm_tui.i18n import current_language

    return style == "spreadsheet" if style else current_language() == "ru"


def export_partners(db: Any, path: str, spreadsheet: bool = False) -> int:
    """Write every partner (one row each, first legal entity and contact) to `path`
    (replaced only once complete); for a spreadsheet with a BOM, and in Russian with
    semicolons (import-csv reads both)."""
    from sqlalchemy import text

    from crm_tui.domain.enums import mask_to_roles
    from crm_tui.domain.spreadsheet import guard_cell

    sql = """
    SELECT p.key, p.name, p.roles,
      (SELECT c.inn FROM partner_counterparty pc JOIN counterparty c ON c.id = pc.counterparty_id
       WHERE pc.partner_id = p.id ORDER BY c.id LIMIT 1) AS inn,
      (SELECT c.kpp FROM partner_counterparty pc JOIN counterparty c ON c.id = pc.counterparty_id
       WHERE pc.partner_id = p.id ORDER BY c.id LIMIT 1) AS kpp,
      (SELECT code FROM classifier WHERE id = p.region_id) AS region,
      (SELECT login FROM app_user WHERE id = p.manager_id) AS manager,
      (SELECT phones FROM contact WHERE partner_id = p.id ORDER BY id LIMIT 1) AS phones,
      (SELECT emails FROM contact WHERE partner_id = p.id ORDER BY id LIMIT 1) AS emails
    FROM partner p ORDER BY p.key"""
    import json

    from crm_tui.atomic import text_writer

    count = 0
    with text_writer(path, newline="") as handle, db.read() as session:
        from crm_tui.i18n import current_language

        if spreadsheet:
            handle.write("\ufeff")
        semicolons = spreadsheet and current_language() == "ru"
        writer = csv.writer(handle, delimiter=";" if semicolons else ",")
        writer.writerow(EXPORT_COLUMNS)
        for r in session.execute(text(sql)):
            phones = json.loads(r.phones or "[]")
            emails = json.loads(r.emails or "[]")
            writer.writerow([guard_cell(cell) for cell in (
                r.key, r.name, r.inn or "", r.kpp or "", r.region or "",
                ",".join(mask_to_roles(r.roles)), r.manager or "",
                phones[0] if phones else "", emails[0] if emails else "")])
            count += 1
    return count


def run_export(args: argparse.Namespace) -> int:
    db = open_database(args, read_only=True)
    try:
        count = export_partners(db, args.file, _spreadsheet(args.csv_style))
    except OSError as error:
        return fail(_("cannot write {path}: {error}").format(
            path=args.file, error=error.strerror or error))
    finally:
        db.close()
    print(_("Partners exported: {count}").format(count=count))
    return 0
