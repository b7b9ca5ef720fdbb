"""Validation of deals: references, amounts, closing rules and the stage history."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any

from crm_tui.domain.deals import ITEM_MAX, QUANTITY_MAX
from crm_tui.domain.enums import DealStatus
from crm_tui.domain.money import to_minor
from crm_tui.domain.stages import check_history
from crm_tui.exchange.context import Context
from crm_tui.exchange.refs import key_of, ref, save
from crm_tui.exchange.values import Fields
from crm_tui.i18n import _

STATUSES = frozenset(status.value for status in DealStatus)
QUANTITY = re.compile(r"\d{1,10}(\.\d{1,3})?")
CHILDREN = ("deal_stage_entry", "deal_participant", "deal_contact", "deal_demand_reason")


def deal(f: Fields, ctx: Context) -> None:
    """A deal with its stage history (checked against its kind's stage control)."""
    before = len(ctx.problems)
    claimed = key_of(f, ctx, "deal")
    name = f.text("name", nonempty=True)
    partner_id = ref(f, ctx, "partner", "partner")
    kind_id = ref(f, ctx, "kind", "deal_kind")
    manager_id = ref(f, ctx, "manager", "user")
    amount = f.money("amount")
    if amount is not None and amount < 0:
        f.field_problem("amount", _("must not be negative"))
    created_at = f.timestamp("created_at")
    status = f.choice("status", STATUSES)
    closed_at = f.timestamp("closed_at")
    closed = status in (DealStatus.WON, DealStatus.LOST)
    if closed and f.obj.get("closed_at") is None:
        f.field_problem("closed_at", _("required for a won or lost deal"))
    elif status == DealStatus.OPEN and f.obj.get("closed_at") is not None:
        f.field_problem("closed_at", _("only a won or lost deal has closed_at"))
    loss_reason_id = ref(f, ctx, "loss_reason", "loss_reason")
    if f.obj.get("loss_reason") is not None and status is not None and status != DealStatus.LOST:
        f.field_problem("loss_reason", _("only a lost deal has a loss reason"))
    demand = [ctx.reference(ctx.problems, f.line, f"{f.prefix}demand_reasons[{index + 1}]",
                            "demand_reason", code)
              for index, code in enumerate(f.items("demand_reasons") or ())]
    lines = _demand_lines(f, ctx)
    agreement_id = ref(f, ctx, "agreement", "agreement")
    participants = _pairs(f, ctx, "participants", "participant", "partner", "partner",
                          "partner_role")
    contacts = _pairs(f, ctx, "contacts", "deal_contact", "contact", "contact", "contact_role")
    history = _history(f, ctx, created_at)
    if history is not None and history and closed_at is not None and closed_at < history[-1][2]:
        f.field_problem("closed_at", _("must not be before the last stage entry"))
    kind_code = f.obj.get("kind")
    rules = None
    if kind_id is not None and type(kind_code) is str:
        rules = ctx.kind_rules.get(kind_code)
    if rules is not None and history is not None and status is not None:
        for message in check_history(rules, [code for code, _id, _at in history], status):
            f.field_problem("stages", message)
    notes = f.text("notes")
    # A required field given as null was reported by the shape check, before `before`.
    if claimed is None or len(ctx.problems) != before or amount is None or history is None:
        return
    key, row_id, is_update = claimed
    last = history[-1] if history else None
    save(ctx, "deal", {
        "id": row_id, "key": key, "name": name, "partner_id": partner_id, "kind_id": kind_id,
        "manager_id": manager_id, "amount_minor": to_minor(amount), "created_at": created_at,
        "status": status, "closed_at": closed_at, "loss_reason_id": loss_reason_id,
        "agreement_id": agreement_id, "stage_id": last[1] if last else None,
        "stage_at": last[2] if last else None, "notes": notes,
    }, is_update, CHILDREN)
    batch = ctx.batch
    batch.insert_many("deal_stage_entry", (
        {"id": ctx.allocate("deal_stage_entry"), "deal_id": row_id, "seq": seq,
         "stage_id": stage_id, "at": at, "user_login": None}
        for seq, (_code, stage_id, at) in enumerate(history, 1)))
    batch.insert_many("deal_participant", (
        {"id": ctx.allocate("deal_participant"), "deal_id": row_id, "seq": seq,
         "partner_id": partner, "role_id": role}
        for seq, (partner, role) in enumerate(participants, 1)))
    batch.insert_many("deal_contact", (
        {"id": ctx.allocate("deal_contact"), "deal_id": row_id, "seq": seq,
         "contact_id": contact, "role_id": role}
        for seq, (contact, role) in enumerate(contacts, 1)))
    # the reasons alone first, then the lines (the exporter writes them back apart)
    rows = [{"reason_id": reason, "item": None, "quantity_milli": None, "price_minor": None,
             "amount_minor": None, "met": False} for reason in demand] + lines
    batch.insert_many("deal_demand_reason", (
        {"id": ctx.allocate("deal_demand_reason"), "deal_id": row_id, "seq": seq,
         "description": None, **row}
        for seq, row in enumerate(rows, 1)))


def _demand_lines(f: Fields, ctx: Context) -> list[dict[str, Any]]:
    """The optional `demand_lines` as rows of deal_demand_reason (an unmet line names its
    reason, a met one none)."""
    rows: list[dict[str, Any]] = []
    for index, value in enumerate(f.items("demand_lines") or ()):
        line = f.sub(value, f"demand_lines[{index + 1}]", "demand_line")
        if line is None:
            continue
        item = line.text("item", nonempty=True)
        if item is not None and len(item) > ITEM_MAX:
            line.field_problem("item", _("at most {n} characters").format(n=ITEM_MAX))
        quantity = _quantity(line)
        price, amount = line.money("price"), line.money("amount")
        met = line.boolean("met")
        reason = ref(line, ctx, "reason", "demand_reason")
        if met is True and line.obj.get("reason") is not None:
            line.field_problem("reason", _("a met line has no unmet-demand reason"))
        if met is False and line.obj.get("reason") is None:
            line.field_problem("reason", _("required for a line that was not met"))
        for name, money in (("price", price), ("amount", amount)):
            if money is not None and money < 0:
                line.field_problem(name, _("must not be negative"))
        rows.append({"reason_id": reason, "item": item,
                     "quantity_milli": None if quantity is None else int(quantity * 1000),
                     "price_minor": None if price is None else to_minor(price),
                     "amount_minor": None if amount is None else to_minor(amount),
                     "met": bool(met)})
    return rows


def _quantity(line: Fields) -> Decimal | None:
    """A quantity: a string of digits with at most 3 decimals after a dot."""
    value = line.obj.get("quantity")
    if value is None:
        return None
    if type(value) is not str or not QUANTITY.fullmatch(value) \
            or Decimal(value) > QUANTITY_MAX:
        line.field_problem("quantity", _("must be a string of digits with at most 3 "
                                         "decimals, as \"2.5\""))
        return None
    return Decimal(value)


def _pairs(f: Fields, ctx: Context, name: str, sub_kind: str, field: str, kind: str,
           role_kind: str) -> list[tuple[int, int]]:
    """A list of {FIELD: key, "role": code} objects as (id, role id) pairs."""
    pairs: list[tuple[int, int]] = []
    for index, value in enumerate(f.items(name) or ()):
        item = f.sub(value, f"{name}[{index + 1}]", sub_kind)
        if item is None:
            continue
        target = ref(item, ctx, field, kind)
        role = ref(item, ctx, "role", role_kind)
        if target is not None and role is not None:
            pairs.append((target, role))
    return pairs


def _history(f: Fields, ctx: Context,
             created_at: datetime | None) -> list[tuple[str, int, datetime]] | None:
    """The stage history as (code, stage id, at); None when it is broken."""
    values = f.items("stages")
    if values is None:
        return None
    history: list[tuple[str, int, datetime]] = []
    complete = True
    previous: datetime | None = None
    for index, value in enumerate(values):
        path = f"stages[{index + 1}]"
        item = f.sub(value, path, "stage_entry")
        if item is None:
            complete = False
            continue
        code: Any = item.obj.get("stage")
        stage_id = ref(item, ctx, "stage", "stage")
        at = item.timestamp("at")
        if stage_id is None or at is None:
            complete = False
            continue
        if index == 0 and created_at is not None and at < created_at:
            item.field_problem("at", _("the first stage entry must not be before created_at"))
        if previous is not None and at < previous:
            item.field_problem("at", _("stage entries must be in chronological order"))
        previous = at
        history.append((code, stage_id, at))
    return history if complete else None
