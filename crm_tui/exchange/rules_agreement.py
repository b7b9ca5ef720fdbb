"""Validation of agreements (typical and individual) and their payment schedules."""

from __future__ import annotations

from crm_tui.domain.enums import AgreementKind, AgreementStatus
from crm_tui.exchange.context import Context
from crm_tui.exchange.refs import key_of, ref, save
from crm_tui.exchange.values import Fields
from crm_tui.i18n import _

KINDS = frozenset(kind.value for kind in AgreementKind)
STATUSES = frozenset(status.value for status in AgreementStatus)


def agreement(f: Fields, ctx: Context) -> None:
    """An agreement: partner iff individual, schedule summing to 100 %, valid dates."""
    before = len(ctx.problems)
    claimed = key_of(f, ctx, "agreement")
    kind = f.choice("kind", KINDS)
    name = f.text("name", nonempty=True)
    partner_id = ref(f, ctx, "partner", "partner")
    if kind == AgreementKind.INDIVIDUAL and f.obj.get("partner") is None:
        f.field_problem("partner", _("an individual agreement needs a partner"))
    elif kind == AgreementKind.TYPICAL and f.obj.get("partner") is not None:
        f.field_problem("partner", _("a typical agreement has no partner"))
    based_on = f.obj.get("based_on")
    based_on_id = None
    if based_on is not None:
        if claimed is not None and based_on == claimed[0]:
            f.field_problem("based_on", _("an agreement cannot be based on itself"))
        else:
            based_on_id = ref(f, ctx, "based_on", "agreement")
            if based_on_id is not None and ctx.agreement_kinds.get(based_on) != "typical":
                f.field_problem("based_on", _("{key} is not a typical agreement").format(
                    key=based_on))
    price_type_id = ref(f, ctx, "price_type", "price_type")
    schedule = _schedule(f)
    valid_from = f.day("valid_from")
    valid_to = f.day("valid_to")
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        f.field_problem("valid_to", _("must not be before valid_from"))
    status = f.choice("status", STATUSES)
    if claimed is None:
        return
    key, row_id, is_update = claimed
    if kind is not None:
        ctx.agreement_kinds[key] = kind
    if len(ctx.problems) != before:
        return
    save(ctx, "agreement", {"id": row_id, "key": key, "kind": kind, "name": name,
                            "partner_id": partner_id, "based_on_id": based_on_id,
                            "price_type_id": price_type_id, "valid_from": valid_from,
                            "valid_to": valid_to, "status": status},
         is_update, ("agreement_payment",))
    ctx.batch.insert_many("agreement_payment", (
        {"id": ctx.allocate("agreement_payment"), "agreement_id": row_id, "line_no": line_no,
         "percent": percent, "days": days}
        for line_no, (percent, days) in enumerate(schedule, 1)
    ))


def _schedule(f: Fields) -> list[tuple[int, int]]:
    values = f.items("payment_schedule")
    lines: list[tuple[int, int]] = []
    if values is None:
        return lines
    complete = True
    for index, value in enumerate(values):
        item = f.sub(value, f"payment_schedule[{index + 1}]", "payment")
        if item is None:
            complete = False
            continue
        percent = item.integer("percent", minimum=0)
        days = item.integer("days", minimum=0)
        if percent is None or days is None:
            complete = False
        else:
            lines.append((percent, days))
    if complete and sum(percent for percent, _days in lines) != 100:
        f.field_problem("payment_schedule", _("percents must sum to 100, not {total}").format(
            total=sum(percent for percent, _days in lines)))
    return lines
