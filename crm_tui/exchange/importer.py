"""`crm import`: validate a whole exchange file, then write it in one transaction.

Validation and writing share one write transaction: rows are bulk-inserted in chunks while
no problem has been seen; the first problem stops writing (validation goes on to report
every problem) and the transaction is rolled back, so nothing is written. A valid file is
committed at once. Interrupting the process leaves the database as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection
from sqlmodel import Session

from crm_tui.exchange.context import Context
from crm_tui.exchange.errors import ImportFailed
from crm_tui.exchange.fields import TYPE_ORDER
from crm_tui.exchange.validate import validate_record
from crm_tui.exchange.values import SUSPICIOUS
from crm_tui.exchange.writer import fix_sequences, flush
from crm_tui.i18n import _
from crm_tui.store import audit
from crm_tui.store.database import Database
from crm_tui.store.search_index import merge_search_index

CHUNK_ROWS = 50_000
# SQLite page cache while importing (KiB, as a negative cache_size): the tables' many
# indexes are updated row by row, and the default 2 MB cache thrashes on them.
IMPORT_CACHE_KIB = 65_536
# An import writing at least this many partners, legal entities and contacts ends by
# merging the partner search index (and labelling every partner in name order).
BULK_WRITES = 1000
Item = tuple[int, Any, bool]


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


_decoder = json.JSONDecoder(parse_constant=_reject_constant)


def decode_lines(lines: Iterable[str | bytes], problems: list[tuple[int, str]]) -> Iterator[Item]:
    """(line number, decoded object, has-suspicious-characters) for every non-blank line."""
    decode = _decoder.decode
    search = SUSPICIOUS.search
    for number, raw in enumerate(lines, 1):
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                problems.append((number, _("the line is not valid UTF-8")))
                continue
        else:
            line = raw
        if number == 1 and line.startswith("\ufeff"):
            line = line[1:]
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        try:
            obj = decode(line)
        except (ValueError, RecursionError) as error:
            problems.append((number, _("not valid JSON: {error}").format(error=error)))
            continue
        yield number, obj, search(line) is not None


def import_items(db: Database, items: Iterable[Item], source: str,
                 problems: list[tuple[int, str]] | None = None) -> dict[str, int]:
    """Validate and write decoded records; raise ImportFailed (writing nothing) on problems.

    `problems` may already hold problems found while decoding (it is shared with the
    decoder, which keeps adding to it)."""
    shared = problems if problems is not None else []
    with db.write() as session:
        connection = session.connection()
        with _large_cache(connection):
            return _import(session, connection, items, source, shared)


@contextmanager
def _large_cache(connection: Connection) -> Iterator[None]:
    """A bigger SQLite page cache for the duration of an import (restored after)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with suppress(Exception):  # a broken connection must not hide the real error
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")


def _import(session: Session, connection: Connection, items: Iterable[Item], source: str,
            shared: list[tuple[int, str]]) -> dict[str, int]:
    """Validate and write inside the open write transaction (see import_items)."""
    ctx = Context.load(connection)
    ctx.problems = shared
    for line, obj, controls in items:
        validate_record(ctx, line, obj, controls)
        if ctx.batch.size >= CHUNK_ROWS:
            if shared:
                ctx.batch.clear()
            else:
                flush(connection, ctx.batch)
    if shared:
        raise ImportFailed(shared)
    flush(connection, ctx.batch)
    fix_sequences(connection)
    counts = {kind: ctx.counts.get(kind, 0) for kind in TYPE_ORDER}
    if sum(counts[kind] for kind in ("partner", "counterparty", "contact")) >= BULK_WRITES:
        merge_search_index(connection)  # many small index segments, maybe unlabelled partners
    audit.record(session, "exchange", source[-64:], "import",
                 {"records": (None, sum(counts.values()))})
    return counts


def import_lines(db: Database, lines: Iterable[str]) -> dict[str, int]:
    """Import exchange-format lines (all or nothing); counts per record type, in type order."""
    problems: list[tuple[int, str]] = []
    return import_items(db, decode_lines(lines, problems), "-", problems)


def import_file(db: Database, path: str | Path) -> dict[str, int]:
    """Import an exchange file (all or nothing); counts per record type, in type order."""
    problems: list[tuple[int, str]] = []
    with open(path, "rb") as handle:
        return import_items(db, decode_lines(handle, problems), Path(path).name, problems)


def import_records(db: Database, records: Iterable[dict[str, Any]],
                   source: str = "-") -> dict[str, int]:
    """Import records given as objects (record number = line number), as import_file does."""
    return import_items(db, ((number, record, True) for number, record in enumerate(records, 1)),
                        source)
