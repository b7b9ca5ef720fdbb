"""`crm import-table partners|contacts|deals FILE`: a spreadsheet as people have it (CSV in
any of the usual encodings and separators, or XLSX), its columns matched to fields by their
headers (or a saved mapping), every problem as `LINE: message`, all or nothing."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crm_tui.cli.common import fail, open_database
from crm_tui.domain.errors import DomainError
from crm_tui.i18n import _


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "import-table", parents=[common],
        help=_("Import partners, contacts or deals from a CSV or XLSX file (columns matched "
               "by their headers)"))
    parser.add_argument("what", choices=["partners", "contacts", "deals"])
    parser.add_argument("file")
    parser.add_argument("--mapping", metavar="NAME", help=_("use a saved column mapping"))
    parser.add_argument("--map", metavar="HEADER=FIELD", action="append", default=[],
                        help=_("map a column to a field (an empty FIELD ignores the column); "
                               "may be repeated"))
    parser.add_argument("--save-mapping", metavar="NAME",
                        help=_("save the mapping used under this name"))
    parser.add_argument("--sheet", metavar="NAME", help=_("the sheet of an xlsx file"))
    parser.add_argument("--dry-run", action="store_true",
                        help=_("check everything and show what would happen; write nothing"))
    parser.add_argument(
        "--on-duplicate", choices=["update", "skip", "create"], default=None,
        help=_("what to do with a row matching an existing record (default: list them and "
               "import nothing)"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from crm_tui.domain.table_mapping import field_names, missing_required, spec
    from crm_tui.exchange.table_file import open_table
    from crm_tui.exchange.table_mappings import load_mapping, save_mapping

    try:
        table = open_table(args.file, args.what, args.sheet)
        mapping = (load_mapping(args.what, args.mapping, table.headers) if args.mapping
                   else _automatic(args.what, table.headers))
        _apply_map_options(args.what, table.headers, mapping, args.map)
        if args.save_mapping:
            save_mapping(args.what, args.save_mapping, table.headers, mapping)
    except DomainError as error:
        return fail(str(error))
    except OSError as error:
        return fail(_("cannot write {path}: {error}").format(
            path=error.filename, error=error.strerror or error))
    missing = missing_required(args.what, mapping)
    _print_mapping(args.what, table.headers, mapping)
    if missing:
        return fail(_("no column for: {fields}; map one with --map HEADER=FIELD ({known})").format(
            fields=", ".join(_(spec(args.what, m).label) for m in missing),
            known=", ".join(field_names(args.what))))
    return _import(args, table, mapping)


def _automatic(target: str, headers: tuple[str, ...]) -> list[str | None]:
    from crm_tui.domain.table_mapping import auto_map

    return auto_map(target, headers)


def _apply_map_options(target: str, headers: tuple[str, ...], mapping: list[str | None],
                       options: list[str]) -> None:
    from crm_tui.domain.errors import ValidationError
    from crm_tui.domain.table_mapping import field_names, header_key

    keys = [header_key(h) for h in headers]
    for option in options:
        header, sep, field = option.partition("=")
        field = field.strip()
        if not sep or header_key(header) not in keys:
            raise ValidationError(_("--map {value}: no column {header}; columns: {names}").format(
                value=option, header=header, names=", ".join(headers)))
        if field and field not in field_names(target):
            raise ValidationError(_("--map {value}: no field {field}; fields: {names}").format(
                value=option, field=field, names=", ".join(field_names(target))))
        if field:  # a field goes to one column only
            mapping[:] = [None if m == field else m for m in mapping]
        mapping[keys.index(header_key(header))] = field or None


def _print_mapping(target: str, headers: tuple[str, ...], mapping: list[str | None]) -> None:
    from crm_tui.domain.table_mapping import spec

    for header, field in zip(headers, mapping, strict=True):
        if field:
            print(f"{header} → {_(spec(target, field).label)}")
        else:
            print(_("{header}: not imported (no field)").format(header=header or "—"))


def _import(args: argparse.Namespace, table: Any, mapping: list[str | None]) -> int:
    from crm_tui.cli.progress import progress
    from crm_tui.exchange.table_import import describe, run_import

    db = open_database(args)
    try:
        # The bar's total is the rows counted first: a pass over the file, on a terminal only.
        with progress(_("Importing"), table.count() if sys.stderr.isatty() else None) as report:
            advance = None if report is None else (lambda done: report(done, done))
            summary = run_import(db, args.what, mapping, table.rows(),
                                 on_duplicate=args.on_duplicate, dry_run=args.dry_run,
                                 progress=advance)
    except DomainError as error:
        return fail(str(error))
    finally:
        db.close()
    for note in summary.notes:
        print(note)
    for problem in summary.problems:
        print(problem, file=sys.stderr)
    if summary.problem_count > len(summary.problems):
        more = summary.problem_count - len(summary.problems)
        print(_("… more problems: {count}").format(count=more), file=sys.stderr)
    if summary.problem_count:
        count = summary.problem_count
        return fail(_("nothing imported; problems: {count}").format(count=count))
    if args.dry_run:
        print(_("Dry run, nothing written: {counts}").format(counts=describe(summary)))
    else:
        print(_("Imported: {counts}").format(counts=describe(summary)))
    return 0
