"""The fast path of `crm import` for the commonest record, a plain valid interaction.

msgspec decodes such a line straight into a typed record in C, checking every field's
JSON type and refusing unknown fields; `accept` then checks the values and queues the row
exactly as rules_interaction.interaction would. Whenever anything is not plainly valid
(a wrong type, a missing field, an unknown key, a bad timestamp, a reference not found,
a phone, attachments, ...) the line goes to the general validator, which words every
problem with its line number: this path only ever accepts, it never reports.

A line is a candidate only where both paths must read the same values: it holds no escape
and no control character (the general path then skips its per-field control checks too),
it is shorter than the shortest length limit of a text, and it names no field twice and
no field as null: the record encoded back holds as many quotes as the line (a key or a
string is one pair of quotes, and an omitted null or a dropped duplicate would be missing).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from crm_tui.exchange.context import Context
from crm_tui.exchange.refs import save
from crm_tui.exchange.rules_interaction import DIRECTED, DIRECTIONS, KINDS, STATUSES
from crm_tui.exchange.values import _TIMESTAMP, MAX_TEXT

# How a candidate line starts: the exporter writes the type first.
PREFIX = '{"type": "interaction"'
_LARGEST_INT = 2**62  # values.Fields.integer's bound


class Record(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """The fields of an interaction that the fast path handles (phone, message_id and
    attachments are left to the general path)."""

    type: str
    id: str
    kind: str
    topic: str
    at: str
    status: str
    end: str | None = None
    partner: str | None = None
    contact: str | None = None
    manager: str | None = None
    subject: dict[str, str] | None = None
    direction: str | None = None
    review_after: str | None = None
    text: str | None = None
    place: str | None = None
    attendees: str | None = None
    duration: int | None = None
    email_from: str | None = None
    email_to: str | None = None


class Candidate:
    """A line decoded by the fast path, kept with its text for the general path."""

    __slots__ = ("line", "record")

    def __init__(self, record: Record, line: str) -> None:
        self.record = record
        self.line = line


_decode = msgspec.json.Decoder(Record).decode
_encode = msgspec.json.Encoder().encode


def candidate(line: str) -> Candidate | None:
    """`line` (without escapes or control characters) decoded as a plain interaction, or
    None when it is not one the fast path may take."""
    if len(line) > MAX_TEXT or not line.startswith(PREFIX):
        return None
    try:
        record = _decode(line)
    except msgspec.DecodeError:  # a validation error is one too
        return None
    if record.type != "interaction" or _encode(record).count(b'"') != line.count('"'):
        return None
    return Candidate(record, line)


class _Refused(Exception):
    """The record is not plainly valid: the general path takes it."""


def _timestamp(value: str | None) -> datetime | None:
    if value is None:
        return None
    if not _TIMESTAMP.fullmatch(value):
        raise _Refused
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise _Refused from None


def _lookup(ctx: Context, kind: str, key: str | None) -> int | None:
    if key is None:
        return None
    found = ctx.new_ids[kind].get(key)
    if found is None:
        found = ctx.db_ids[kind].get(key)
        if found is None:
            raise _Refused
    return found


def accept(ctx: Context, record: Record) -> bool:
    """Queue the interaction's row as the general path would; False (nothing done) when
    the general path must judge it."""
    try:
        row = _row(ctx, record)
    except _Refused:
        return False
    claimed = ctx.register("interaction", record.id, 0)  # no duplicate: checked in _row
    assert claimed is not None
    row["id"], is_update = claimed
    save(ctx, "interaction", row, is_update, ("interaction_attachment",))
    return True


def _row(ctx: Context, r: Record) -> dict[str, Any]:
    """The row without its id, after every check the general path makes (no side effect)."""
    key = r.id
    if not key.strip() or key in ctx.new_ids["interaction"] or r.kind not in KINDS \
            or not r.topic.strip() or r.status not in STATUSES:
        raise _Refused
    at, end = _timestamp(r.at), _timestamp(r.end)
    if at is not None and end is not None and end < at:
        raise _Refused
    deal_id = claim_id = interaction_id = None
    if r.subject is not None:
        if len(r.subject) != 1:
            raise _Refused
        ((kind, subject_key),) = r.subject.items()
        if kind == "deal":
            deal_id = _lookup(ctx, "deal", subject_key)
        elif kind == "claim":
            claim_id = _lookup(ctx, "claim", subject_key)
        elif kind == "interaction" and subject_key != key:
            interaction_id = _lookup(ctx, "interaction", subject_key)
        else:
            raise _Refused
    if r.direction is not None and (r.direction not in DIRECTIONS or r.kind not in DIRECTED):
        raise _Refused
    if r.duration is not None and not 0 <= r.duration <= _LARGEST_INT:
        raise _Refused
    return {
        "id": None, "key": key, "kind": r.kind, "topic": r.topic, "at": at, "end": end,
        "status": r.status, "partner_id": _lookup(ctx, "partner", r.partner),
        "contact_id": _lookup(ctx, "contact", r.contact),
        "manager_id": _lookup(ctx, "user", r.manager), "subject_deal_id": deal_id,
        "subject_claim_id": claim_id, "subject_interaction_id": interaction_id,
        "direction": r.direction, "review_after": _timestamp(r.review_after), "text": r.text,
        "place": r.place, "attendees": r.attendees, "phone": None, "duration_s": r.duration,
        "email_from": r.email_from, "email_to": r.email_to, "message_id": None,
    }
