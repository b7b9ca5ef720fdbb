"""`crm import`: validate a whole exchange file, then write it in one transaction.

Validation and writing share one write transaction: rows are bulk-inserted in chunks while
no problem has been seen (a second thread writes one chunk while the next is validated:
importer_writer.py); the first problem stops writing (validation goes on to report
every problem) and the transaction is rolled back, so nothing is written. A valid file is
committed at once. Interrupting the process leaves the database as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.engine import Connection
from sqlmodel import Session

from crm_tui.exchange import fast_deal, fast_interaction  # noqa: F401 (register)
from crm_tui.exchange.context import Context
from crm_tui.exchange.errors import ImportFailed, Problems
from crm_tui.exchange.fast_path import Candidate, candidate
from crm_tui.exchange.fields import TYPE_ORDER
from crm_tui.exchange.importer_writer import ChunkWriter
from crm_tui.exchange.validate import validate_record
from crm_tui.exchange.values import SUSPICIOUS
from crm_tui.exchange.writer import Batch, fix_sequences, flush
from crm_tui.i18n import _
from crm_tui.store import audit, bulk_load
from crm_tui.store.database import Database
from crm_tui.store.pg import analyze_after_load
from crm_tui.store.search_index import merge_search_index

CHUNK_ROWS = 50_000
# SQLite page cache while importing (KiB, as a negative cache_size): the tables' many
# indexes are updated row by row, and the default 2 MB cache thrashes on them.
IMPORT_CACHE_KIB = 65_536
# An import writing at least this many partners, legal entities and contacts ends by
# merging the partner search index (and labelling every partner in name order).
BULK_WRITES = 1000
Item = tuple[int, Any, bool]
# A progress report: (records read, bytes read) — see cli/progress.py.
Report = Callable[[int, int], None]
REPORT_EVERY = 2000  # records between two progress reports
# The longest line read (bytes, without its line feed): a claim with attachments up to the
# default 25 MB limit fits (base64 makes them a third larger). Memory stays bounded by it
# whatever the file holds (`crm import /dev/zero` once grew to 24 GB).
MAX_LINE_BYTES = 64 * 1024 * 1024
_READ_CHUNK = 1024 * 1024
# A line that holds an escaped surrogate, which json decodes alone when it is not half of a
# pair; such a string cannot be stored (nor even printed).
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class _DuplicateField(ValueError):
    """One JSON object names a field twice (json keeps the last one silently)."""


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _DuplicateField(key)
            seen.add(key)
    return obj


_decoder = json.JSONDecoder(parse_constant=_reject_constant, object_pairs_hook=_object)


class _TooLong:
    """Stands for a line longer than MAX_LINE_BYTES (the file is not read further)."""


TOO_LONG = _TooLong()


def bounded_lines(handle: BinaryIO, limit: int = MAX_LINE_BYTES) -> Iterator[bytes | _TooLong]:
    """The lines of a binary file, each read in chunks (never a readline() without a size);
    a line longer than `limit` bytes gives TOO_LONG and ends the reading."""
    while True:
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = handle.readline(_READ_CHUNK)
            chunks.append(chunk)
            size += len(chunk)
            if not chunk or chunk.endswith(b"\n"):
                break
            if size > limit:
                chunks.clear()
                yield TOO_LONG
                return
        if size == 0:
            return
        if size - 1 > limit or (size > limit and not chunks[-1].endswith(b"\n")):
            chunks.clear()
            yield TOO_LONG
            return
        yield chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _has_surrogate(value: Any) -> bool:
    """True if a string anywhere in `value` (a key too) holds a lone surrogate."""
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(item) for item in value)
    return False


def decode_lines(lines: Iterable[str | bytes | _TooLong],
                 problems: list[tuple[int, str]]) -> Iterator[Item]:
    """(line number, decoded object, has-suspicious-characters) for every non-blank line."""
    decode = _decoder.decode
    search = SUSPICIOUS.search
    for number, raw in enumerate(lines, 1):
        if isinstance(raw, _TooLong):
            problems.append((number, _(
                "the line is longer than {limit} MiB (the most a line may hold); the rest of "
                "the file was not read").format(limit=MAX_LINE_BYTES // (1024 * 1024))))
            return
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
        suspicious = search(line) is not None
        if not suspicious:  # a plain interaction is decoded and checked in C (see validate)
            found = candidate(line)
            if found is not None:
                yield number, found, False
                continue
        try:
            obj = decode(line)
        except _DuplicateField as error:
            problems.append((number, _("a field appears twice in one object: {field}")
                             .format(field=error)))
            continue
        except (ValueError, RecursionError) as error:
            problems.append((number, _("not valid JSON: {error}").format(error=error)))
            continue
        if suspicious and _ESCAPED_SURROGATE.search(line) and _has_surrogate(obj):
            problems.append((number, _("a string holds a lone surrogate (\\ud800-\\udfff), "
                                       "which is not a character")))
            continue
        yield number, obj, suspicious


def import_items(db: Database, items: Iterable[Item], source: str,
                 problems: list[tuple[int, str]] | None = None) -> dict[str, int]:
    """Validate and write decoded records; raise ImportFailed (writing nothing) on problems.

    `problems` may already hold problems found while decoding (it is shared with the
    decoder, which keeps adding to it)."""
    shared = problems if problems is not None else Problems()
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
    with ExitStack() as bulk:
        deferred = False
        # Full chunks are written by a second thread while the next ones are validated;
        # the block ends only when that thread no longer uses the connection.
        with ChunkWriter(connection) as writer:
            for line, obj, controls in items:
                validate(ctx, line, obj, controls)
                if ctx.batch.size >= CHUNK_ROWS:
                    if shared:
                        ctx.batch.clear()
                    else:
                        if not deferred:  # a large file: indexes and counts come at the end
                            bulk.enter_context(bulk_load.deferred(connection, ctx.batch.size))
                            deferred = True
                        writer.hand_over(flush, ctx.batch)
                        ctx.batch = Batch()
        if shared:
            raise ImportFailed(shared)
        flush(connection, ctx.batch)
    fix_sequences(connection)
    counts = {kind: ctx.counts.get(kind, 0) for kind in TYPE_ORDER}
    if sum(counts[kind] for kind in ("partner", "counterparty", "contact")) >= BULK_WRITES:
        merge_search_index(connection)  # many small index segments, maybe unlabelled partners
    if sum(counts.values()) >= BULK_WRITES:
        analyze_after_load(connection)  # PostgreSQL plans by statistics of the loaded rows
    audit.record(session, "exchange", source[-64:], "import",
                 {"records": (None, sum(counts.values()))})
    return counts


def validate(ctx: Context, line: int, obj: Any, controls: bool) -> None:
    """validate_record, or for a candidate of the fast path its check, which accepts a
    plainly valid interaction; the general validator words anything else."""
    if type(obj) is Candidate:
        if obj.accept(ctx, obj.record):
            return
        obj = _decoder.decode(obj.line)  # the line was valid JSON without a repeated field
    validate_record(ctx, line, obj, controls)


def import_lines(db: Database, lines: Iterable[str]) -> dict[str, int]:
    """Import exchange-format lines (all or nothing); counts per record type, in type order."""
    problems = Problems()
    return import_items(db, decode_lines(lines, problems), "-", problems)


def import_file(db: Database, path: str | Path, report: Report | None = None
                ) -> dict[str, int]:
    """Import an exchange file (all or nothing); counts per record type, in type order.
    `report(lines, bytes)` is called every REPORT_EVERY lines read and at the end."""
    problems = Problems()
    with open(path, "rb") as handle:
        lines: Iterable[bytes | _TooLong] = bounded_lines(handle)
        if report is not None:
            lines = _reporting_bytes(lines, report)
        return import_items(db, decode_lines(lines, problems), Path(path).name, problems)


def _reporting_bytes(lines: Iterable[bytes | _TooLong], report: Report
                     ) -> Iterator[bytes | _TooLong]:
    count = size = 0
    for count, line in enumerate(lines, 1):
        if isinstance(line, bytes):
            size += len(line)
        if count % REPORT_EVERY == 0:
            report(count, size)
        yield line
    report(count, size)


def import_records(db: Database, records: Iterable[dict[str, Any]],
                   source: str = "-", report: Report | None = None) -> dict[str, int]:
    """Import records given as objects (record number = line number), as import_file does.
    `report(records, records)` is called every REPORT_EVERY records and at the end."""
    def items() -> Iterator[Item]:
        number = 0
        for number, record in enumerate(records, 1):
            if report is not None and number % REPORT_EVERY == 0:
                report(number, number)
            yield number, record, True
        if report is not None:
            report(number, number)

    return import_items(db, items(), source)
