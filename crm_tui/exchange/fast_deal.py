"""The fast path (fast_path.py) for a plain deal: rules_deal.deal's checks and rows for a
deal without demand lines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from crm_tui.domain.enums import DealStatus
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.money import parse_exchange_money, to_minor
from crm_tui.domain.stages import check_history
from crm_tui.exchange.context import Context
from crm_tui.exchange.fast_path import Refused, lookup, register, timestamp
from crm_tui.exchange.refs import save
from crm_tui.exchange.rules_deal import CHILDREN, STATUSES

_CLOSED = (DealStatus.WON, DealStatus.LOST)


class Stage(msgspec.Struct, forbid_unknown_fields=True):
    stage: str
    at: str


class Participant(msgspec.Struct, forbid_unknown_fields=True):
    partner: str
    role: str


class Contact(msgspec.Struct, forbid_unknown_fields=True):
    contact: str
    role: str


class Record(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """The fields of a deal that the fast path handles (demand lines are left to the
    general path)."""

    type: str
    id: str
    name: str
    partner: str
    kind: str
    manager: str
    amount: str
    created_at: str
    status: str
    stages: list[Stage]
    closed_at: str | None = None
    loss_reason: str | None = None
    demand_reasons: list[str] | None = None
    agreement: str | None = None
    participants: list[Participant] | None = None
    contacts: list[Contact] | None = None
    notes: str | None = None


def accept(ctx: Context, record: Record) -> bool:
    """Queue the deal's rows as the general path would; False (nothing done) when the
    general path must judge it."""
    try:
        row, history, participants, contacts, demand = _rows(ctx, record)
    except Refused:
        return False
    claimed = ctx.register("deal", record.id, 0)  # no duplicate: checked in _rows
    assert claimed is not None
    row_id, is_update = claimed
    row["id"] = row_id
    save(ctx, "deal", row, is_update, CHILDREN)
    batch = ctx.batch
    batch.insert_many("deal_stage_entry", (
        {"id": ctx.allocate("deal_stage_entry"), "deal_id": row_id, "seq": seq,
         "stage_id": stage_id, "at": at, "user_login": None}
        for seq, (stage_id, at) in enumerate(history, 1)))
    batch.insert_many("deal_participant", (
        {"id": ctx.allocate("deal_participant"), "deal_id": row_id, "seq": seq,
         "partner_id": partner, "role_id": role}
        for seq, (partner, role) in enumerate(participants, 1)))
    batch.insert_many("deal_contact", (
        {"id": ctx.allocate("deal_contact"), "deal_id": row_id, "seq": seq,
         "contact_id": contact, "role_id": role}
        for seq, (contact, role) in enumerate(contacts, 1)))
    batch.insert_many("deal_demand_reason", (
        {"id": ctx.allocate("deal_demand_reason"), "deal_id": row_id, "seq": seq,
         "description": None, "reason_id": reason, "item": None, "quantity_milli": None,
         "price_minor": None, "amount_minor": None, "met": False}
        for seq, reason in enumerate(demand, 1)))
    return True


Pairs = list[tuple[int | None, int | None]]


def _rows(ctx: Context, r: Record) -> tuple[dict[str, Any], list[tuple[int | None, datetime]],
                                            Pairs, Pairs, list[int | None]]:
    """The deal's row (without its id) and its children, after every check the general path
    makes (no side effect)."""
    key = r.id
    status = r.status
    if not key.strip() or key in ctx.new_ids["deal"] or not r.name.strip() \
            or status not in STATUSES:
        raise Refused
    try:
        amount = parse_exchange_money(r.amount)
        minor = to_minor(amount)
    except ValidationError:
        raise Refused from None
    if amount < 0:
        raise Refused
    created_at, closed_at = timestamp(r.created_at), timestamp(r.closed_at)
    if (closed_at is None) if status in _CLOSED else (closed_at is not None):
        raise Refused  # a won or lost deal needs closed_at, an open one has none
    if r.loss_reason is not None and status != DealStatus.LOST:
        raise Refused
    history: list[tuple[int | None, datetime]] = []
    previous = created_at
    for entry in r.stages:
        at = timestamp(entry.at)
        assert at is not None and previous is not None
        if at < previous:  # before created_at, or out of order
            raise Refused
        history.append((lookup(ctx, "stage", entry.stage), at))
        previous = at
    if history and closed_at is not None and closed_at < history[-1][1]:
        raise Refused
    kind_id = lookup(ctx, "deal_kind", r.kind)
    rules = ctx.kind_rules.get(r.kind)
    if rules is not None and check_history(rules, [entry.stage for entry in r.stages], status):
        raise Refused
    last = history[-1] if history else None
    row = {
        "id": None, "key": key, "name": r.name, "partner_id": lookup(ctx, "partner", r.partner),
        "kind_id": kind_id, "manager_id": lookup(ctx, "user", r.manager),
        "amount_minor": minor, "created_at": created_at, "status": status,
        "closed_at": closed_at, "loss_reason_id": lookup(ctx, "loss_reason", r.loss_reason),
        "agreement_id": lookup(ctx, "agreement", r.agreement),
        "stage_id": last[0] if last else None, "stage_at": last[1] if last else None,
        "notes": r.notes,
    }
    participants = [(lookup(ctx, "partner", item.partner), lookup(ctx, "partner_role", item.role))
                    for item in r.participants or ()]
    contacts = [(lookup(ctx, "contact", item.contact), lookup(ctx, "contact_role", item.role))
                for item in r.contacts or ()]
    demand = [lookup(ctx, "demand_reason", code) for code in r.demand_reasons or ()]
    return row, history, participants, contacts, demand


register("deal", Record, accept)
