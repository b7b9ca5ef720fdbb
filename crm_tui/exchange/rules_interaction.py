"""Validation of interactions (meetings, planned, calls, e-mails, SMS)."""

from __future__ import annotations

import hashlib
import mimetypes

from crm_tui.domain.enums import InteractionKind, InteractionStatus
from crm_tui.exchange.context import Context
from crm_tui.exchange.refs import key_of, ref, save
from crm_tui.exchange.rules_claim import read_attachments
from crm_tui.exchange.values import Fields
from crm_tui.i18n import _

KINDS = frozenset(kind.value for kind in InteractionKind)
STATUSES = frozenset(status.value for status in InteractionStatus)
DIRECTIONS = frozenset(("incoming", "outgoing"))
DIRECTED = frozenset(("call", "email", "sms"))
SUBJECTS = ("deal", "claim", "interaction")


def interaction(f: Fields, ctx: Context) -> None:
    """An interaction and its optional subject (a deal, a claim or an earlier interaction)."""
    before = len(ctx.problems)
    claimed = key_of(f, ctx, "interaction")
    kind = f.choice("kind", KINDS)
    topic = f.text("topic", nonempty=True)
    at = f.timestamp("at")
    end = f.timestamp("end")
    if at is not None and end is not None and end < at:
        f.field_problem("end", _("must not be before at"))
    status = f.choice("status", STATUSES)
    partner_id = ref(f, ctx, "partner", "partner")
    contact_id = ref(f, ctx, "contact", "contact")
    manager_id = ref(f, ctx, "manager", "user")
    subject = _subject(f, ctx, claimed[0] if claimed else None)
    direction = f.choice("direction", DIRECTIONS)
    if f.obj.get("direction") is not None and kind is not None and kind not in DIRECTED:
        f.field_problem("direction", _("only calls, e-mails and SMS have a direction"))
    review_after = f.timestamp("review_after")
    text = f.text("text")
    place = f.text("place")
    attendees = f.text("attendees")
    raw_phone = f.obj.get("phone")
    phone = f.phone("phone", raw_phone) if raw_phone is not None else None
    duration = f.integer("duration", minimum=0)
    email_from = f.text("email_from")
    email_to = f.text("email_to")
    message_id = f.text("message_id")
    attachments = read_attachments(f)
    if claimed is None or len(ctx.problems) != before:
        return
    key, row_id, is_update = claimed
    deal_id, claim_id, interaction_id = subject
    save(ctx, "interaction", {
        "id": row_id, "key": key, "kind": kind, "topic": topic, "at": at, "end": end,
        "status": status, "partner_id": partner_id, "contact_id": contact_id,
        "manager_id": manager_id, "subject_deal_id": deal_id, "subject_claim_id": claim_id,
        "subject_interaction_id": interaction_id, "direction": direction,
        "review_after": review_after, "text": text, "place": place, "attendees": attendees,
        "phone": phone, "duration_s": duration, "email_from": email_from, "email_to": email_to,
        "message_id": message_id,
    }, is_update, ("interaction_attachment",))
    if attachments:
        ctx.batch.insert_many("interaction_attachment", (
            {"id": ctx.allocate("interaction_attachment"), "interaction_id": row_id, "seq": seq,
             "name": name, "size": len(content),
             "mime": mimetypes.guess_type(name)[0] or "application/octet-stream",
             "sha256": hashlib.sha256(content).hexdigest(), "content": content}
            for seq, (name, content) in enumerate(attachments, 1)))


def _subject(f: Fields, ctx: Context,
             own_key: str | None) -> tuple[int | None, int | None, int | None]:
    value = f.obj.get("subject")
    found: list[int | None] = [None, None, None]
    if value is None:
        return found[0], found[1], found[2]
    if type(value) is not dict or len(value) != 1 or next(iter(value)) not in SUBJECTS:
        f.field_problem("subject", _("must be exactly one of {deal}, {claim} or {interaction}")
                        .format(deal='{"deal": id}', claim='{"claim": id}',
                                interaction='{"interaction": id}'))
        return found[0], found[1], found[2]
    kind, key = next(iter(value.items()))
    if kind == "interaction" and key == own_key:
        f.field_problem("subject", _("an interaction cannot be its own subject"))
        return found[0], found[1], found[2]
    found[SUBJECTS.index(kind)] = ctx.reference(
        ctx.problems, f.line, f"{f.prefix}subject.{kind}", kind, key)
    return found[0], found[1], found[2]
