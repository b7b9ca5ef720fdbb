"""Parsing and showing the interaction form's values (no database work here)."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from rich.text import Text

from crm_tui.domain.enums import LABELS, Direction, InteractionKind, InteractionStatus
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.formatting import read_moment, show_moment
from crm_tui.domain.interactions import (
    KIND_FIELDS,
    SUBJECT_KINDS,
    SUBJECT_LABELS,
    InteractionDraft,
    validate_draft,
)
from crm_tui.domain.merge import fields_of
from crm_tui.i18n import _

# Which form groups show for which kind (the groups hold the kind-specific inputs).
GROUPS: dict[str, tuple[str, ...]] = {
    "end": ("meeting",), "place": ("meeting",), "attendees": ("meeting",),
    "direction": ("call", "email", "sms"), "phone": ("call", "sms"), "duration_s": ("call",),
    "email_from": ("email",), "email_to": ("email",),
}
assert all(name in KIND_FIELDS[InteractionKind(kind)]
           for name, kinds in GROUPS.items() for kind in kinds)


def kind_options() -> list[tuple[Text, str]]:
    return [(Text(_(LABELS[k.value])), k.value) for k in InteractionKind]


def status_options() -> list[tuple[Text, str]]:
    return [(Text(_(LABELS[s.value])), s.value) for s in InteractionStatus]


def direction_options() -> list[tuple[Text, str]]:
    return [(Text(_(LABELS[d.value])), d.value) for d in Direction]


def subject_kind_options() -> list[tuple[Text, str]]:
    return [(Text(_(SUBJECT_LABELS[k])), k) for k in SUBJECT_KINDS]


def show_time(value: datetime | None) -> str:
    return show_moment(value)


def parse_time(text: str, field: str, label: str, required: bool = False) -> datetime | None:
    """`YYYY-MM-DD HH:MM` (or ISO with T / seconds); empty gives None unless required."""
    text = text.strip()
    if not text:
        if required:
            raise ValidationError(_("{field}: must not be empty").format(field=label), field=field)
        return None
    try:
        return read_moment(text)
    except ValueError:
        raise ValidationError(
            _("{field}: not a date and time (DD.MM.YYYY HH:MM): {value}")
            .format(field=label, value=text),
            field=field) from None


def parse_duration(text: str) -> int | None:
    """A call's duration: seconds, or M:SS / H:MM:SS."""
    text = text.strip()
    if not text:
        return None
    try:
        parts = [int(p) for p in text.split(":")]
    except ValueError:
        raise ValidationError(_("Duration: not a number of seconds or M:SS: {value}")
                              .format(value=text), field="duration_s") from None
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def show_duration(seconds: int | None) -> str:
    if seconds is None:
        return ""
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d}"


def optional(text: str) -> str | None:
    text = text.strip()
    return text or None


def values_of(draft: InteractionDraft) -> dict[str, Any]:
    """A draft's fields to compare and merge: the fields its kind lacks cleared, texts
    trimmed, times to the minute the form shows."""
    with contextlib.suppress(ValidationError):  # else compared as typed
        draft = validate_draft(draft)
    values = fields_of(draft)
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip() or (None if name != "topic" else "")
        elif isinstance(value, datetime):
            values[name] = value.replace(second=0, microsecond=0)
    return values


def field_labels() -> dict[str, str]:
    """The fields' labels as the form shows them, in the UI language."""
    return {"kind": _("Kind"), "topic": _("Topic"), "at": _("Time"), "status": _("Status"),
            "partner_key": _("Partner"), "contact_key": _("Contact"),
            "manager_login": _("Manager"), "subject": _("Subject"),
            "review_after": _("Review after"), "end": _("End"), "place": _("Place"),
            "attendees": _("Attendees"), "direction": _("Direction"), "phone": _("Number"),
            "duration_s": _("Duration (M:SS)"), "email_from": _("Sender"),
            "email_to": _("Recipient"),
            "text": _("Text")}


def show_value(name: str, value: Any) -> str:
    """A field's value as the user reads it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return show_time(value)
    if name == "duration_s":
        return show_duration(value)
    if name == "subject":
        return f"{_(SUBJECT_LABELS.get(value.kind, value.kind))} {value.key}"
    if name in ("kind", "status", "direction"):
        return _(LABELS.get(value, value))
    return str(value)
