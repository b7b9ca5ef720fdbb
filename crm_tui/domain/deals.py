"""Deals: what a deal form holds and the checks it must pass before anything is stored."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from crm_tui.domain.errors import ValidationError
from crm_tui.domain.formatting import show_money
from crm_tui.domain.money import MAX_AMOUNT, parse_user_money
from crm_tui.domain.text import check_text
from crm_tui.i18n import _

NAME_MAX = 200
NOTES_MAX = 20000
DESCRIPTION_MAX = 500
ITEM_MAX = 200
QUANTITY_MAX = Decimal("1000000000")
QUANTUM = Decimal("0.001")  # quantities are kept in thousandths


@dataclass(frozen=True)
class DemandLine:
    """One line of a deal's primary demand: the item asked for, its quantity, price and
    amount, whether it was met and, if not, the unmet-demand reason (a classifier code).

    A line without an item is a reason alone (as imported from `demand_reasons`, or written
    by the form before demand had lines: then `description` says what was asked)."""

    reason: str | None
    description: str = ""
    amount: Decimal | None = None
    item: str = ""
    quantity: Decimal | None = None
    price: Decimal | None = None
    met: bool = False


@dataclass(frozen=True)
class DealDraft:
    """A deal as the form submits it (references by key / code / login)."""

    name: str
    partner: str | None
    kind: str | None
    manager: str | None
    amount: Decimal
    agreement: str | None = None
    notes: str = ""
    participants: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    contacts: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    demand: tuple[DemandLine, ...] = field(default_factory=tuple)


def parse_amount(text: str, field_name: str = "amount") -> Decimal:
    """Money typed in the form (thousands separators allowed); the error names its field."""
    try:
        return parse_user_money(text)
    except ValidationError as error:
        raise ValidationError(str(error), field=field_name) from error


def show_amount(amount: Decimal) -> str:
    """Money on screen and in the form's field, in the interface language's convention."""
    return show_money(amount)


def validate_draft(draft: DealDraft) -> DealDraft:
    """Return the draft with trimmed texts, or raise ValidationError naming the bad field."""
    name = check_text(draft.name.strip(), _("Name"))
    if not name:
        raise ValidationError(_("enter the deal's name"), field="name")
    if len(name) > NAME_MAX:
        raise ValidationError(_("the name is too long (at most {n} characters)").format(n=NAME_MAX),
                              field="name")
    if not draft.partner:
        raise ValidationError(_("choose the partner"), field="partner")
    if not draft.kind:
        raise ValidationError(_("choose the deal kind"), field="kind")
    if not draft.manager:
        raise ValidationError(_("choose the manager"), field="manager")
    if draft.amount < 0:
        raise ValidationError(_("the amount must not be negative"), field="amount")
    if draft.amount > MAX_AMOUNT:
        raise ValidationError(_("the amount is too large"), field="amount")
    notes = check_text(draft.notes, _("Notes"), multiline=True).strip()
    if len(notes) > NOTES_MAX:
        raise ValidationError(_("the notes are too long"), field="notes")
    seen_participants: set[tuple[str, str]] = set()
    for pair in draft.participants:
        if pair in seen_participants:
            raise ValidationError(_("the same participant with the same role is listed twice"),
                                  field="participants")
        seen_participants.add(pair)
    seen_contacts: set[tuple[str, str]] = set()
    for pair in draft.contacts:
        if pair in seen_contacts:
            raise ValidationError(_("the same contact person with the same role is listed twice"),
                                  field="contacts")
        seen_contacts.add(pair)
    demand = [validate_demand_line(line) for line in draft.demand]
    return DealDraft(name=name, partner=draft.partner, kind=draft.kind, manager=draft.manager,
                     amount=draft.amount, agreement=draft.agreement or None, notes=notes,
                     participants=draft.participants, contacts=draft.contacts,
                     demand=tuple(demand))


def validate_demand_line(line: DemandLine) -> DemandLine:
    """The line with trimmed texts and its amount (quantity × price when not given), or
    ValidationError (field "demand"): an unmet line needs its reason (the item may be
    absent: a reason alone), a met one names its item and has no reason."""
    description = check_text(line.description.strip(), _("Description"))
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError(_("the description is too long"), field="demand")
    item = check_text(line.item.strip(), _("Item"))
    if len(item) > ITEM_MAX:
        raise ValidationError(_("the item is too long (at most {n} characters)").format(
            n=ITEM_MAX), field="demand")
    if line.met and not item:
        raise ValidationError(_("enter the item asked for"), field="demand")
    if not line.met and line.reason is None:
        raise ValidationError(_("choose the unmet-demand reason, or mark the line as met"),
                              field="demand")
    if line.quantity is not None and not Decimal(0) <= line.quantity <= QUANTITY_MAX:
        raise ValidationError(_("the quantity is out of range"), field="demand")
    for money in (line.price, line.amount):
        if money is not None and not Decimal(0) <= money <= MAX_AMOUNT:
            raise ValidationError(_("the demand amount is out of range"), field="demand")
    amount = line.amount
    if amount is None and line.quantity is not None and line.price is not None:
        amount = line_amount(line.quantity, line.price)
        if amount > MAX_AMOUNT:
            raise ValidationError(_("the demand amount is out of range"), field="demand")
    return DemandLine(None if line.met else line.reason, description, amount, item,
                      line.quantity, line.price, line.met)


def line_amount(quantity: Decimal, price: Decimal) -> Decimal:
    """Quantity × price, rounded half-up to kopecks."""
    return (quantity * price).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def parse_quantity(text: str) -> Decimal | None:
    """A quantity typed by a person ("" → None): spaces as thousands separators, a comma or
    a dot before at most 3 decimals; ValidationError (field "demand") otherwise."""
    cleaned = "".join(text.split()).replace(",", ".")
    if not cleaned:
        return None
    if not re.fullmatch(r"\d{1,10}(\.\d{1,3})?", cleaned) or Decimal(cleaned) > QUANTITY_MAX:
        raise ValidationError(_("not a quantity: use digits and at most 3 decimals"),
                              field="demand")
    quantity = Decimal(cleaned)
    return quantity


def days_in_stage(since: datetime | None, now: datetime) -> int:
    """Whole days since the deal entered its stage (0 when unknown or in the future)."""
    if since is None:
        return 0
    return max((now - since).days, 0)
