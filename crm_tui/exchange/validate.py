"""One record of a file: its type, its shape, then the rules of its type."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from crm_tui.domain.enums import CLASSIFIER_KINDS
from crm_tui.exchange import (
    rules_agreement,
    rules_basic,
    rules_claim,
    rules_deal,
    rules_interaction,
    rules_parties,
)
from crm_tui.exchange.context import Context
from crm_tui.exchange.fields import TYPE_ORDER
from crm_tui.exchange.values import Fields
from crm_tui.i18n import _

Rule = Callable[[Fields, Context], None]

RULES: dict[str, Rule] = {
    **{kind: partial(rules_basic.classifier, kind) for kind in CLASSIFIER_KINDS},
    "deal_kind": rules_basic.deal_kind,
    "user": rules_basic.user,
    "partner": rules_parties.partner,
    "counterparty": rules_parties.counterparty,
    "contact": rules_parties.contact,
    "agreement": rules_agreement.agreement,
    "deal": rules_deal.deal,
    "claim": rules_claim.claim,
    "interaction": rules_interaction.interaction,
}


def validate_record(ctx: Context, line: int, obj: Any, controls: bool = True) -> None:
    """Check one decoded object from `line` and queue its rows in `ctx.batch`.

    `controls=False` skips per-field control-character checks (the caller saw none in the
    raw line)."""
    if type(obj) is not dict:
        ctx.problems.append((line, _("a line must be a JSON object")))
        return
    kind = obj.get("type")
    rule = RULES.get(kind) if type(kind) is str else None
    if rule is None:
        if kind is None:
            ctx.problems.append((line, _("missing required field: {field}").format(field="type")))
        else:
            ctx.problems.append((line, _("unknown record type: {type}; expected one of {types}")
                                 .format(type=kind, types=", ".join(TYPE_ORDER))))
        return
    fields = Fields(obj, line, ctx.problems, controls)
    fields.check_shape(str(kind))
    rule(fields, ctx)
