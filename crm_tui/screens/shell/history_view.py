"""The change history in words: field labels instead of column names, names instead of ids,
yes/no instead of True/False, dates and money as the interface language writes them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from crm_tui.domain.enums import LABELS
from crm_tui.domain.formatting import show_date, show_moment, show_money
from crm_tui.domain.interactions import SUBJECT_LABELS
from crm_tui.i18n import N_, _

FIELD_LABELS: dict[str, str] = {
    "name": N_("Name"), "partner": N_("Partner"), "partner_id": N_("Partner"),
    "kind": N_("Kind"), "kind_id": N_("Kind"), "manager": N_("Manager"),
    "manager_id": N_("Manager"), "assignee_id": N_("Assignee"), "amount": N_("Amount"),
    "agreement": N_("Agreement"), "agreement_id": N_("Agreement"), "notes": N_("Notes"),
    "participants": N_("Participants"), "contacts": N_("Contacts"), "contact": N_("Contact"),
    "contact_id": N_("Contact"), "demand": N_("Unmet demand"), "stage": N_("Stage"),
    "stage_id": N_("Stage"), "status": N_("Status"), "closed_at": N_("Closed"),
    "loss_reason": N_("Loss reason"), "loss_reason_id": N_("Loss reason"),
    "reason_id": N_("Reason"), "registered_at": N_("Registered"),
    "description": N_("Description"), "resolved_at": N_("Resolved"),
    "resolution": N_("Resolution"), "source": N_("Source"),
    "source_document": N_("Source document"), "plan": N_("Action plan"),
    "posted": N_("Posted"), "attachment": N_("Attachment"), "subject": N_("Subject"),
    "topic": N_("Topic"), "at": N_("Time"), "end": N_("End"), "direction": N_("Direction"),
    "review_after": N_("Review after"), "text": N_("Text"), "place": N_("Place"),
    "attendees": N_("Attendees"), "phone": N_("Phone"), "duration_s": N_("Duration"),
    "email_from": N_("Sender"), "email_to": N_("Recipient"), "price_type": N_("Price type"),
    "price_type_id": N_("Price type"), "payment_schedule": N_("Payment schedule"),
    "valid_from": N_("Valid from"), "valid_to": N_("Valid to"), "based_on": N_("Based on"),
    "based_on_id": N_("Based on"), "value": N_("Value"), "role": N_("Role"),
    "roles": N_("Roles"), "region": N_("Region"), "region_id": N_("Region"),
    "inn": N_("INN"), "kpp": N_("KPP"), "ogrn": N_("OGRN"), "short_name": N_("Short name"),
    "full_name": N_("Full name"), "legal_address": N_("Legal address"),
    "counterparties": N_("Legal entities"), "position": N_("Position"),
    "phones": N_("Phones"), "emails": N_("E-mail addresses"), "comment": N_("Comment"),
    "archived": N_("Archived"), "sort_order": N_("Order"), "stages": N_("Stages"),
    "stage_control": N_("Stage control"), "records": N_("Records"),
    "message_id": N_("Message"),
}
_YES_NO = {"True": N_("yes"), "False": N_("no")}
_MONEY_FIELDS = {"amount"}


def field_label(field: str) -> str:
    """The label a person knows the field by (the stored name when there is none)."""
    return _(FIELD_LABELS[field]) if field in FIELD_LABELS else field


def _subject_text(named: str) -> str:
    kind, key, name = named.split("\t", 2)
    shown = f"{_(SUBJECT_LABELS[kind])} {key}"
    return f"{shown} «{name}»" if name else shown


def _stamp(value: str) -> str | None:
    """An ISO date or timestamp as the language writes it; None when it is not one."""
    if len(value) < 10 or value[4:5] != "-" or value[7:8] != "-":
        return None
    try:
        if len(value) == 10:
            return show_date(date.fromisoformat(value))
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return show_moment(moment, seconds=bool(moment.second))


def value_text(field: str, value: str | None, names: dict[tuple[str, str], str]) -> str | None:
    """A stored value as people read it; None stays None (the table shows a dash)."""
    if value is None or value == "":
        return value
    named = names.get((field, value))
    if named is not None:
        return _subject_text(named) if field == "subject" else named
    if value in _YES_NO:
        return _(_YES_NO[value])
    if field in _MONEY_FIELDS:
        try:
            return show_money(Decimal(value))
        except InvalidOperation:
            return value
    if field in ("status", "kind", "direction", "source", "role") and value in LABELS:
        return _(LABELS[value])
    return _stamp(value) or value
