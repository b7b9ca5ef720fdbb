"""SQLModel tables: the whole CRM schema.

Conventions: every referable record keeps its exchange `key` (unique per table); money is
an integer count of kopecks (`*_minor`, BigInteger); editable documents carry a `version`
that every save checks and increments; timestamps are local time without zone.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, DateTime, Index, LargeBinary, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel


def _money() -> Column:  # type: ignore[type-arg]
    return Column(BigInteger, nullable=False, server_default="0")


class Classifier(SQLModel, table=True):
    """One value of a simple classifier; `kind` is one of domain.enums.CLASSIFIER_KINDS."""

    __tablename__ = "classifier"
    __table_args__ = (
        UniqueConstraint("kind", "code"),
        Index("ix_classifier_kind_order", "kind", "sort_order"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    code: str = Field(max_length=64)
    name: str
    sort_order: int = 0
    archived: bool = False


class DealKind(SQLModel, table=True):
    __tablename__ = "deal_kind"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    name: str
    stage_control: str = Field(max_length=16)
    sort_order: int = 0
    archived: bool = False


class DealKindStage(SQLModel, table=True):
    """The stages a deal kind walks, in order."""

    __tablename__ = "deal_kind_stage"
    __table_args__ = (UniqueConstraint("kind_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    kind_id: int = Field(foreign_key="deal_kind.id", ondelete="CASCADE", index=True)
    position: int
    stage_id: int = Field(foreign_key="classifier.id")


class User(SQLModel, table=True):
    __tablename__ = "app_user"
    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(max_length=64, unique=True)
    name: str
    role: str = Field(default="manager", max_length=16)


class Partner(SQLModel, table=True):
    __tablename__ = "partner"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    name: str = Field(index=True)
    region_id: int | None = Field(default=None, foreign_key="classifier.id", index=True)
    roles: int = 0
    manager_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    comment: str | None = Field(default=None, sa_type=Text)
    version: int = 1


class Counterparty(SQLModel, table=True):
    __tablename__ = "counterparty"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    inn: str = Field(max_length=12, index=True)
    kpp: str | None = Field(default=None, max_length=9)
    ogrn: str | None = Field(default=None, max_length=15)
    short_name: str
    full_name: str
    legal_address: str | None = None
    phone: str | None = None
    version: int = 1


class PartnerCounterparty(SQLModel, table=True):
    """The many-to-many link between partners and their legal entities."""

    __tablename__ = "partner_counterparty"
    partner_id: int = Field(foreign_key="partner.id", ondelete="CASCADE", primary_key=True)
    counterparty_id: int = Field(
        foreign_key="counterparty.id", ondelete="CASCADE", primary_key=True, index=True
    )


class Contact(SQLModel, table=True):
    __tablename__ = "contact"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    partner_id: int = Field(foreign_key="partner.id", ondelete="CASCADE", index=True)
    name: str
    position: str | None = None
    phones: str = Field(default="[]", sa_type=Text)  # JSON list of E.164 numbers
    emails: str = Field(default="[]", sa_type=Text)  # JSON list
    version: int = 1


class Agreement(SQLModel, table=True):
    __tablename__ = "agreement"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    kind: str = Field(max_length=16)
    name: str
    partner_id: int | None = Field(default=None, foreign_key="partner.id", index=True)
    based_on_id: int | None = Field(default=None, foreign_key="agreement.id")
    price_type_id: int | None = Field(default=None, foreign_key="classifier.id")
    valid_from: date | None = None
    valid_to: date | None = None
    status: str = Field(default="draft", max_length=16)
    version: int = 1


class AgreementPayment(SQLModel, table=True):
    """One line of an agreement's payment schedule."""

    __tablename__ = "agreement_payment"
    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", ondelete="CASCADE", index=True)
    line_no: int
    percent: int
    days: int


class Deal(SQLModel, table=True):
    __tablename__ = "deal"
    __table_args__ = (
        Index("ix_deal_board", "kind_id", "status", "stage_id", "stage_at"),
        # The board's column count and sum read this index alone (migration 0005).
        Index("ix_deal_board_totals", "kind_id", "status", "stage_id", "manager_id",
              "amount_minor"),
        Index("ix_deal_manager_status", "manager_id", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    name: str
    partner_id: int = Field(foreign_key="partner.id", index=True)
    kind_id: int = Field(foreign_key="deal_kind.id")
    manager_id: int = Field(foreign_key="app_user.id")
    amount_minor: int = Field(sa_column=_money())
    created_at: datetime = Field(sa_type=DateTime(), index=True)
    status: str = Field(default="open", max_length=16)
    closed_at: datetime | None = Field(default=None, sa_type=DateTime())
    loss_reason_id: int | None = Field(default=None, foreign_key="classifier.id")
    agreement_id: int | None = Field(default=None, foreign_key="agreement.id")
    # The latest stage-history entry, kept here so the board never reads the history.
    stage_id: int | None = Field(default=None, foreign_key="classifier.id")
    stage_at: datetime | None = Field(default=None, sa_type=DateTime())
    notes: str | None = Field(default=None, sa_type=Text)
    version: int = 1


class DealStageEntry(SQLModel, table=True):
    """One entry of a deal's stage history: the deal entered `stage` at `at`."""

    __tablename__ = "deal_stage_entry"
    __table_args__ = (UniqueConstraint("deal_id", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    deal_id: int = Field(foreign_key="deal.id", ondelete="CASCADE")
    seq: int
    stage_id: int = Field(foreign_key="classifier.id", index=True)
    at: datetime = Field(sa_type=DateTime())
    user_login: str | None = None


class DealParticipant(SQLModel, table=True):
    __tablename__ = "deal_participant"
    id: int | None = Field(default=None, primary_key=True)
    deal_id: int = Field(foreign_key="deal.id", ondelete="CASCADE", index=True)
    seq: int
    partner_id: int = Field(foreign_key="partner.id", index=True)
    role_id: int = Field(foreign_key="classifier.id")


class DealContact(SQLModel, table=True):
    __tablename__ = "deal_contact"
    id: int | None = Field(default=None, primary_key=True)
    deal_id: int = Field(foreign_key="deal.id", ondelete="CASCADE", index=True)
    seq: int
    contact_id: int = Field(foreign_key="contact.id", index=True)
    role_id: int = Field(foreign_key="classifier.id")


class DealDemandReason(SQLModel, table=True):
    """One line of a deal's primary demand: the item asked for, quantity, price, amount,
    and whether it was met; an unmet line has its reason (migration 0013). A line without
    an item is an unmet-demand reason alone (the exchange format's `demand_reasons`)."""

    __tablename__ = "deal_demand_reason"
    id: int | None = Field(default=None, primary_key=True)
    deal_id: int = Field(foreign_key="deal.id", ondelete="CASCADE", index=True)
    seq: int
    reason_id: int | None = Field(default=None, foreign_key="classifier.id", index=True)
    description: str | None = None
    amount_minor: int | None = Field(default=None, sa_type=BigInteger)
    item: str | None = Field(default=None, max_length=200, index=True)
    quantity_milli: int | None = Field(default=None, sa_type=BigInteger)
    price_minor: int | None = Field(default=None, sa_type=BigInteger)
    met: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})


class Claim(SQLModel, table=True):
    __tablename__ = "claim"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    partner_id: int = Field(foreign_key="partner.id", index=True)
    reason_id: int = Field(foreign_key="classifier.id", index=True)
    registered_at: datetime = Field(sa_type=DateTime(), index=True)
    description: str = Field(sa_type=Text)
    manager_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    status: str = Field(default="open", max_length=16, index=True)
    posted: bool = False
    resolved_at: datetime | None = Field(default=None, sa_type=DateTime())
    resolution: str | None = Field(default=None, sa_type=Text)
    source: str = Field(default="list", max_length=32)
    source_document: str | None = None
    version: int = 1


class ClaimTask(SQLModel, table=True):
    """One task of a claim's action plan: an assignment (assignee; without one, the claim's
    manager) with a due date, and when it was done (migration 0016_tasks)."""

    __tablename__ = "claim_task"
    # "My tasks" and Home read a user's open tasks in due order; the calendar reads
    # everyone's open tasks due in its period; the claims list each claim's (0018).
    __table_args__ = (Index("ix_claim_task_assignee_open", "assignee_id", "done", "due"),
                      Index("ix_claim_task_open_due", "done", "due"),
                      Index("ix_claim_task_claim_open", "claim_id", "done", "due", "seq"))
    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", ondelete="CASCADE", index=True)
    seq: int
    name: str
    description: str = Field(default="", sa_type=Text)
    due: date | None = None
    assignee_id: int | None = Field(default=None, foreign_key="app_user.id")
    done: bool = False
    done_at: datetime | None = Field(default=None, sa_type=DateTime())


class Attachment(SQLModel, table=True):
    """A file attached to a claim, stored in the database itself."""

    __tablename__ = "attachment"
    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", ondelete="CASCADE", index=True)
    seq: int
    name: str
    size: int
    mime: str = "application/octet-stream"
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Interaction(SQLModel, table=True):
    __tablename__ = "interaction"
    __table_args__ = (
        Index("ix_interaction_status_at", "status", "at"),
        # id, kind and manager after review_after: the snoozed page keeps its order and
        # the snoozed count with a kind or manager filter reads the index alone (0007).
        Index("ix_interaction_status_review", "status", "review_after", "id", "kind",
              "manager_id"),
        Index("ix_interaction_manager_status_at", "manager_id", "status", "at"),
        # Home: the last interaction of each open deal (0015).
        Index("ix_interaction_subject_deal_at", "subject_deal_id", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    kind: str = Field(max_length=16)
    topic: str
    at: datetime = Field(sa_type=DateTime())
    end: datetime | None = Field(default=None, sa_type=DateTime())
    status: str = Field(default="in_progress", max_length=16)
    partner_id: int | None = Field(default=None, foreign_key="partner.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    manager_id: int | None = Field(default=None, foreign_key="app_user.id")
    # The subject (предмет): exactly one of these, or none.
    # No index of its own: ix_interaction_subject_deal_at begins with it (0020).
    subject_deal_id: int | None = Field(default=None, foreign_key="deal.id")
    subject_claim_id: int | None = Field(default=None, foreign_key="claim.id", index=True)
    subject_interaction_id: int | None = Field(
        default=None, foreign_key="interaction.id", index=True
    )
    direction: str | None = Field(default=None, max_length=16)
    review_after: datetime | None = Field(default=None, sa_type=DateTime())
    text: str | None = Field(default=None, sa_type=Text)
    # Kind-specific details (optional exchange fields, see docs/exchange-format.md).
    place: str | None = None
    attendees: str | None = None
    phone: str | None = None
    duration_s: int | None = None
    email_from: str | None = None
    email_to: str | None = None
    message_id: str | None = None
    version: int = 1


class Setting(SQLModel, table=True):
    """Application settings saved in the database; `value` is JSON."""

    __tablename__ = "setting"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_type=Text)


class ChangeLog(SQLModel, table=True):
    """Who changed what and when; written in the same transaction as the change."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_record", "entity", "record_key", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=DateTime())
    user_login: str = Field(max_length=64)
    entity: str = Field(max_length=32)
    record_key: str = Field(max_length=64)
    action: str = Field(max_length=16)  # insert, update, delete, post, unpost, import
    field: str | None = None
    old: str | None = Field(default=None, sa_type=Text)
    new: str | None = Field(default=None, sa_type=Text)


class KeySequence(SQLModel, table=True):
    """The next number for keys of records created in the app (D-000042)."""

    __tablename__ = "key_sequence"
    entity: str = Field(primary_key=True, max_length=32)
    next_value: int = 1


# The mail tables refer to the ones above; importing them here keeps the metadata whole.
from crm_tui.store import models_mail  # noqa: E402, F401
