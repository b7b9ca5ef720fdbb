"""The fast path of `crm import` for the commonest records (interactions, deals).

msgspec decodes such a line straight into a typed record in C, checking every field's
JSON type and refusing unknown or missing fields; the type's `accept` then checks the
values and queues the rows exactly as its rule in rules_*.py would. Whenever anything is
not plainly valid (a wrong type, an unknown key, a bad timestamp, a reference not found,
a field the fast path leaves alone, ...) the line goes to the general validator, which
words every problem with its line number: this path only ever accepts, it never reports.

A line is a candidate only where both paths must read the same values: it is shorter than
the shortest length limit of a text, it holds no control character and no escape (the
general path then skips its per-field control checks too), and it names no field twice
and no field as null: the record encoded back holds as many quotes as the line (a key or
a string is one pair of quotes; an omitted null or a dropped repetition would be missing).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import msgspec

from crm_tui.exchange.context import Context
from crm_tui.exchange.values import _TIMESTAMP, MAX_TEXT

Accept = Callable[[Context, Any], bool]


class Refused(Exception):
    """The record is not plainly valid: the general path takes it."""


class Candidate:
    """A line decoded by the fast path, kept with its text for the general path."""

    __slots__ = ("accept", "line", "record")

    def __init__(self, record: Any, line: str, accept: Accept) -> None:
        self.record = record
        self.line = line
        self.accept = accept


# How a candidate line starts (the exporter writes the type first) -> its decoder, the
# record's type name and its accept function; filled by the fast_* modules.
KINDS: dict[str, tuple[Callable[[str], Any], str, Accept]] = {}
_encode = msgspec.json.Encoder().encode


def register(kind: str, record: type[msgspec.Struct], accept: Accept) -> None:
    KINDS['{"type": "' + kind + '"'] = (msgspec.json.Decoder(record).decode, kind, accept)


def candidate(line: str) -> Candidate | None:
    """`line` (without escapes or control characters) decoded as a plain record of a kind
    the fast path handles, or None when the fast path may not take it."""
    if len(line) > MAX_TEXT:
        return None
    found = KINDS.get(line[:line.find('"', 10) + 1])
    if found is None:
        return None
    decode, kind, accept = found
    try:
        record = decode(line)
    except msgspec.DecodeError:  # a validation error is one too
        return None
    if record.type != kind or _encode(record).count(b'"') != line.count('"'):
        return None
    return Candidate(record, line, accept)


def timestamp(value: str | None) -> datetime | None:
    """values.Fields.timestamp's reading; Refused where it would report."""
    if value is None:
        return None
    if not _TIMESTAMP.fullmatch(value):
        raise Refused
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise Refused from None


def lookup(ctx: Context, kind: str, key: str | None) -> int | None:
    """The id of a reference (None if absent); Refused if there is no such record."""
    if key is None:
        return None
    found = ctx.new_ids[kind].get(key)
    if found is None:
        found = ctx.db_ids[kind].get(key)
        if found is None:
            raise Refused
    return found
