"""The fields of every record type, in the fixed order export writes them.

Each entry maps a record type to (field, required) pairs; the "type" field comes first in
every object and is not listed. Optional fields are omitted on export when null or empty.
"""

from __future__ import annotations

from crm_tui.domain.enums import CLASSIFIER_KINDS

# The order of record types in a file (classifiers first), as the spec lists them.
TYPE_ORDER: tuple[str, ...] = (
    *CLASSIFIER_KINDS,
    "deal_kind",
    "user",
    "partner",
    "counterparty",
    "contact",
    "agreement",
    "deal",
    "claim",
    "interaction",
)

_CLASSIFIER = (("code", True), ("name", True))

FIELDS: dict[str, tuple[tuple[str, bool], ...]] = {
    **{kind: _CLASSIFIER for kind in CLASSIFIER_KINDS},
    "stage": (("code", True), ("name", True), ("order", True)),
    "deal_kind": (("code", True), ("name", True), ("stage_control", True), ("stages", True)),
    "user": (("login", True), ("name", True)),
    "partner": (
        ("id", True), ("name", True), ("region", False), ("roles", True), ("manager", False),
        ("comment", False),
    ),
    "counterparty": (
        ("id", True), ("partners", True), ("inn", True), ("kpp", False), ("ogrn", False),
        ("short_name", True), ("full_name", True), ("legal_address", False), ("phone", False),
    ),
    "contact": (
        ("id", True), ("partner", True), ("name", True), ("position", False), ("phones", False),
        ("emails", False),
    ),
    "agreement": (
        ("id", True), ("kind", True), ("name", True), ("partner", False), ("based_on", False),
        ("price_type", False), ("payment_schedule", True), ("valid_from", False),
        ("valid_to", False), ("status", True),
    ),
    "deal": (
        ("id", True), ("name", True), ("partner", True), ("kind", True), ("manager", True),
        ("amount", True), ("created_at", True), ("status", True), ("closed_at", False),
        ("loss_reason", False), ("demand_reasons", False), ("agreement", False),
        ("participants", False), ("contacts", False), ("stages", True),
        # Additions in crm-tui:
        ("notes", False), ("demand_lines", False),
    ),
    "claim": (
        ("id", True), ("partner", True), ("reason", True), ("registered_at", True),
        ("description", True), ("manager", False), ("status", True), ("posted", True),
        ("resolved_at", False), ("resolution", False), ("source", True),
        ("source_document", False), ("tasks", True), ("attachments", False),
    ),
    "interaction": (
        ("id", True), ("kind", True), ("topic", True), ("at", True), ("end", False),
        ("status", True), ("partner", False), ("contact", False), ("manager", False),
        ("subject", False), ("direction", False), ("review_after", False), ("text", False),
        # Additions in crm-tui:
        ("place", False), ("attendees", False), ("phone", False), ("duration", False),
        ("email_from", False), ("email_to", False), ("message_id", False),
        ("attachments", False),
    ),
}

# Nested objects.
SUB_FIELDS: dict[str, tuple[tuple[str, bool], ...]] = {
    "payment": (("percent", True), ("days", True)),
    "participant": (("partner", True), ("role", True)),
    "deal_contact": (("contact", True), ("role", True)),
    "stage_entry": (("stage", True), ("at", True)),
    "task": (("name", True), ("description", True), ("due", False), ("assignee", False),
             ("done", True), ("done_at", False)),  # done_at: an addition in crm-tui
    "attachment": (("name", True), ("content_base64", True)),
    "demand_line": (("item", True), ("quantity", False), ("price", False), ("amount", False),
                    ("met", True), ("reason", False)),
}

KEY_FIELD: dict[str, str] = {
    **{kind: "code" for kind in CLASSIFIER_KINDS},
    "deal_kind": "code",
    "user": "login",
    **{kind: "id" for kind in TYPE_ORDER[len(CLASSIFIER_KINDS) + 2:]},
}

ALLOWED: dict[str, frozenset[str]] = {
    **{kind: frozenset(("type", *(name for name, _req in fields)))
       for kind, fields in FIELDS.items()},
    **{kind: frozenset(name for name, _req in fields) for kind, fields in SUB_FIELDS.items()},
}
REQUIRED: dict[str, tuple[str, ...]] = {
    kind: tuple(name for name, required in fields if required)
    for kind, fields in {**FIELDS, **SUB_FIELDS}.items()
}
