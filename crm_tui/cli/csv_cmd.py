"""`crm import-csv` / `crm export-csv`: partners as CSV for people coming from spreadsheets.

Columns (header row, any order, unknown columns refused): name (required), inn, kpp, ogrn,
short_name, full_name, address, region (code or name), roles (client, supplier, competitor,
other; separated by "," or ";"; default client), manager (login), contact, phone, email,
comment. Import is all or nothing: every problem is printed as `LINE: message` on stderr and
nothing is written. An INN (+KPP) already in the database links that legal entity.
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
    importer.set_defaults(handler=run_import)
    exporter = subparsers.add_parser("export-csv", parents=[common],
                                     help=_("Export partners to a CSV file"))
    exporter.add_argument("what", choices=["partners"])
    exporter.add_argument("file")
    exporter.set_defaults(handler=run_export)


class _Rejected(Exception):
    """Some line was wrong: roll the whole import back."""


def import_partners(db: Any, rows: list[tuple[int, dict[str, str]]]) -> tuple[int, list[str]]:
    """Write every row as a partner in one transaction; (count, problems). Nothing is written
    when there is any problem."""
    from sqlalchemy import text

    from crm_tui.domain.errors import DomainError
    from crm_tui.store import repo_partners as repo

    problems: list[str] = []
    created = 0
    try:
        with db.write() as session:
            regions = {r.code.casefold(): r.id for r in session.execute(
                text("SELECT id, code FROM classifier WHERE kind = 'region'"))}
            regions.update({r.name.casefold(): r.id for r in session.execute(
                text("SELECT id, name FROM classifier WHERE kind = 'region'"))})
            users = {r.login: r.id for r in session.execute(text("SELECT id, login FROM app_user"))}
            for line, row in rows:
                try:
                    created += _import_row(session, row, regions, users, repo)
                except DomainError as error:
                    problems.append(f"{line}: {error}")
            if problems:
                raise _Rejected
    except _Rejected:
        return 0, problems
    return created, problems


def _import_row(session: Any, row: dict[str, str], regions: dict[str, int],
                users: dict[str, int], repo: Any) -> int:
    from crm_tui.domain.errors import ValidationError

    def get(name: str) -> str:
        return (row.get(name) or "").strip()

    region_id = None
    if get("region"):
        region_id = regions.get(get("region").casefold())
        if region_id is None:
            raise ValidationError(_("unknown region: {value}").format(value=get("region")))
    manager_id = None
    if get("manager"):
        manager_id = users.get(get("manager"))
        if manager_id is None:
            raise ValidationError(_("unknown manager: {value}").format(value=get("manager")))
    roles = tuple(r.strip().casefold() for r in get("roles").replace(";", ",").split(",")
                  if r.strip()) or ("client",)
    for role in roles:
        if role not in ("client", "supplier", "competitor", "other"):
            raise ValidationError(_("unknown role: {value}").format(value=role))
    link: tuple[str, ...] = ()
    new_cp = None
    if get("inn"):
        existing = repo.counterparties_by_inn(session, get("inn"), get("kpp"))
        if existing:
            link = (existing[0].key,)
        else:
            new_cp = repo.CounterpartyInput(
                inn=get("inn"), kpp=get("kpp"), ogrn=get("ogrn"),
                short_name=get("short_name") or get("name"), full_name=get("full_name"),
                legal_address=get("address"))
    contacts: tuple[Any, ...] = ()
    if get("phone") or get("email") or get("contact"):
        contacts = (repo.ContactInput(name=get("contact") or get("name"),
                                      phones=(get("phone"),) if get("phone") else (),
                                      emails=(get("email"),) if get("email") else ()),)
    repo.create_partner(session, repo.PartnerInput(
        name=get("name"), region_id=region_id, roles=roles, manager_id=manager_id,
        comment=get("comment"), new_counterparty=new_cp, link_counterparty_keys=link,
        contacts=contacts))
    return 1


def read_rows(path: str) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """The data rows with their line numbers, and problems with the file itself."""
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
            return [], [f"1: {_('the header row must have a name column')}"]
        if unknown:
            return [], [f"1: {_('unknown columns: {names}').format(names=', '.join(unknown))}"]
        reader.fieldnames = header
        rows = []
        for row in reader:
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            rows.append((reader.line_num, unguarded(row)))
        return rows, []


def unguarded(row: dict[str, Any]) -> dict[str, str]:
    """A row's values without the `'` that export-csv puts before formula-like text."""
    from crm_tui.domain.spreadsheet import unguard_cell

    return {k: unguard_cell(v) for k, v in row.items() if isinstance(v, str)}


def run_import(args: argparse.Namespace) -> int:
    try:
        rows, problems = read_rows(args.file)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        return fail(_("cannot read {path}: {error}").format(path=args.file, error=error))
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    db = open_database(args)
    try:
        created, problems = import_partners(db, rows)
    finally:
        db.close()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(_("Partners imported: {count}").format(count=created))
    return 0


def export_partners(db: Any, path: str) -> int:
    """Write every partner (one row each, first legal entity and contact) to `path`
    (replaced only once complete)."""
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
        writer = csv.writer(handle)
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
        count = export_partners(db, args.file)
    except OSError as error:
        return fail(_("cannot write {path}: {error}").format(
            path=args.file, error=error.strerror or error))
    finally:
        db.close()
    print(_("Partners exported: {count}").format(count=count))
    return 0
