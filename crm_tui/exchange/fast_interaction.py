"""The fast path (fast_path.py) for a plain interaction: rules_interaction.interaction's
checks and row for an interaction without phone, message id or attachments."""

from __future__ import annotations

from typing import Any

import msgspec

from crm_tui.exchange.context import Context
from crm_tui.exchange.fast_path import Refused, lookup, register, timestamp
from crm_tui.exchange.refs import save
from crm_tui.exchange.rules_interaction import DIRECTED, DIRECTIONS, KINDS, STATUSES

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


def accept(ctx: Context, record: Record) -> bool:
    """Queue the interaction's row as the general path would; False (nothing done) when
    the general path must judge it."""
    try:
        row = _row(ctx, record)
    except Refused:
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
        raise Refused
    at, end = timestamp(r.at), timestamp(r.end)
    if at is not None and end is not None and end < at:
        raise Refused
    deal_id = claim_id = interaction_id = None
    if r.subject is not None:
        if len(r.subject) != 1:
            raise Refused
        ((kind, subject_key),) = r.subject.items()
        if kind == "deal":
            deal_id = lookup(ctx, "deal", subject_key)
        elif kind == "claim":
            claim_id = lookup(ctx, "claim", subject_key)
        elif kind == "interaction" and subject_key != key:
            interaction_id = lookup(ctx, "interaction", subject_key)
        else:
            raise Refused
    if r.direction is not None and (r.direction not in DIRECTIONS or r.kind not in DIRECTED):
        raise Refused
    if r.duration is not None and not 0 <= r.duration <= _LARGEST_INT:
        raise Refused
    return {
        "id": None, "key": key, "kind": r.kind, "topic": r.topic, "at": at, "end": end,
        "status": r.status, "partner_id": lookup(ctx, "partner", r.partner),
        "contact_id": lookup(ctx, "contact", r.contact),
        "manager_id": lookup(ctx, "user", r.manager), "subject_deal_id": deal_id,
        "subject_claim_id": claim_id, "subject_interaction_id": interaction_id,
        "direction": r.direction, "review_after": timestamp(r.review_after), "text": r.text,
        "place": r.place, "attendees": r.attendees, "phone": None, "duration_s": r.duration,
        "email_from": r.email_from, "email_to": r.email_to, "message_id": None,
    }


register("interaction", Record, accept)
