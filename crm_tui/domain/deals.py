"""Deals: what a deal form holds and the checks it must pass before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from crm_tui.domain.errors import ValidationError
from crm_tui.domain.money import MAX_AMOUNT, format_money, parse_user_money
from crm_tui.domain.text import check_text
from crm_tui.i18n import _

NAME_MAX = 200
NOTES_MAX = 20000
DESCRIPTION_MAX = 500


@dataclass(frozen=True)
class DemandLine:
    """One unmet primary demand reason of a deal: reason code, description, amount."""

    reason: str
    description: str = ""
    amount: Decimal | None = None


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
    """Money on screen: thousands separated by spaces, two decimals."""
    return format_money(amount, " ")


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
    demand: list[DemandLine] = []
    for line in draft.demand:
        description = check_text(line.description.strip(), _("Description"))
        if len(description) > DESCRIPTION_MAX:
            raise ValidationError(_("the description is too long"), field="demand")
        if line.amount is not None and (line.amount < 0 or line.amount > MAX_AMOUNT):
            raise ValidationError(_("the demand amount is out of range"), field="demand")
        demand.append(DemandLine(line.reason, description, line.amount))
    return DealDraft(name=name, partner=draft.partner, kind=draft.kind, manager=draft.manager,
                     amount=draft.amount, agreement=draft.agreement or None, notes=notes,
                     participants=draft.participants, contacts=draft.contacts,
                     demand=tuple(demand))


def days_in_stage(since: datetime | None, now: datetime) -> int:
    """Whole days since the deal entered its stage (0 when unknown or in the future)."""
    if since is None:
        return 0
    return max((now - since).days, 0)
