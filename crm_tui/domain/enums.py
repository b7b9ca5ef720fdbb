"""Enumerations shared by every layer; values are the exchange-format identifiers."""

from __future__ import annotations

from enum import StrEnum

from crm_tui.i18n import N_


class StageControl(StrEnum):
    """How a deal kind controls the stages of its deals."""

    STRICT = "strict"
    MANUAL = "manual"
    NONE = "none"


class DealStatus(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class PartnerRole(StrEnum):
    """The fixed roles a partner plays for the company (not the per-deal partner roles)."""

    CLIENT = "client"
    SUPPLIER = "supplier"
    COMPETITOR = "competitor"
    OTHER = "other"


class AgreementKind(StrEnum):
    TYPICAL = "typical"
    INDIVIDUAL = "individual"


class AgreementStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"


class ClaimStatus(StrEnum):
    OPEN = "open"
    SATISFIED = "satisfied"
    NOT_SATISFIED = "not_satisfied"


class ClaimSource(StrEnum):
    LIST = "list"
    PARTNER = "partner"
    DISCREPANCY_ACT = "discrepancy_act"
    INTERACTION = "interaction"


class InteractionKind(StrEnum):
    MEETING = "meeting"
    PLANNED = "planned"
    CALL = "call"
    EMAIL = "email"
    SMS = "sms"


class InteractionStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Direction(StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"


class UserRole(StrEnum):
    """manager edits own records; supervisor edits all; admin also settings and classifiers."""

    MANAGER = "manager"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


CLASSIFIER_KINDS: tuple[str, ...] = (
    "region",
    "stage",
    "partner_role",
    "contact_role",
    "demand_reason",
    "loss_reason",
    "claim_reason",
    "price_type",
)

# Bit of each partner role in the stored mask; the order is the canonical export order.
PARTNER_ROLE_BITS: dict[PartnerRole, int] = {
    PartnerRole.CLIENT: 1,
    PartnerRole.SUPPLIER: 2,
    PartnerRole.COMPETITOR: 4,
    PartnerRole.OTHER: 8,
}


def roles_to_mask(roles: list[str] | tuple[str, ...] | set[str]) -> int:
    """Roles as the integer mask the store keeps."""
    return sum(PARTNER_ROLE_BITS[PartnerRole(role)] for role in set(roles))


def mask_to_roles(mask: int) -> list[str]:
    """The roles of a mask, in canonical order."""
    return [role.value for role, bit in PARTNER_ROLE_BITS.items() if mask & bit]


# Labels for the UI; translated where shown (N_ only marks them for extraction).
LABELS: dict[str, str] = {
    "strict": N_("Strict stages"),
    "manual": N_("Manual stages"),
    "none": N_("Non-process"),
    "open": N_("Open"),
    "won": N_("Won"),
    "lost": N_("Lost"),
    "client": N_("Client"),
    "supplier": N_("Supplier"),
    "competitor": N_("Competitor"),
    "other": N_("Other"),
    "typical": N_("Typical"),
    "individual": N_("Individual"),
    "draft": N_("Draft"),
    "active": N_("Active"),
    "closed": N_("Closed"),
    "satisfied": N_("Satisfied"),
    "not_satisfied": N_("Not satisfied"),
    "list": N_("Claims list"),
    "partner": N_("Partner card"),
    "discrepancy_act": N_("Discrepancy act"),
    "interaction": N_("Interaction"),
    "meeting": N_("Meeting"),
    "planned": N_("Planned"),
    "call": N_("Call"),
    "email": N_("Email"),
    "sms": N_("SMS"),
    "task": N_("Claim task"),  # a claim-plan task on the calendar
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "incoming": N_("Incoming"),
    "outgoing": N_("Outgoing"),
    "manager": N_("Manager"),
    "supervisor": N_("Supervisor"),
    "admin": N_("Administrator"),
}
