"""The deal form: loading a deal with everything it shows, the form's choices, and saving
(a new deal starts at its kind's first stage; an edit checks the version)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, or_
from sqlmodel import Session, col, select

from crm_tui.domain import clock
from crm_tui.domain.deals import DealDraft, DemandLine, validate_draft
from crm_tui.domain.enums import AgreementKind, AgreementStatus, DealStatus
from crm_tui.domain.errors import NotFoundError, StageRuleError, ValidationError
from crm_tui.domain.money import from_minor, to_minor
from crm_tui.domain.stages import check_kind_change, initial_stage
from crm_tui.i18n import _
from crm_tui.store import audit
from crm_tui.store.keys import next_key
from crm_tui.store.models import (
    Agreement,
    Classifier,
    Contact,
    Deal,
    DealContact,
    DealDemandReason,
    DealKind,
    DealParticipant,
    DealStageEntry,
    Interaction,
    Partner,
    User,
)
from crm_tui.store.permissions import check_can_edit
from crm_tui.store.repo_deals import (
    Choice,
    KindView,
    add_stage_entry,
    kind_by_id,
    list_classifier,
    list_kinds,
    list_users,
)
from crm_tui.store.versioning import update_versioned

INTERACTIONS_SHOWN = 200
ITEMS_OFFERED = 2000


@dataclass(frozen=True)
class TimelineEntry:
    """One stage-history entry: when, which stage, who."""

    at: datetime
    stage: str
    user: str


@dataclass(frozen=True)
class ChainItem:
    """An interaction whose subject is the deal."""

    key: str
    at: datetime
    kind: str
    topic: str
    status: str


@dataclass(frozen=True)
class DealDetail:
    """A saved deal as the form shows it."""

    key: str
    version: int
    draft: DealDraft
    partner_name: str
    status: str
    stage: str | None
    created_at: datetime
    closed_at: datetime | None
    loss_reason: str | None
    timeline: tuple[TimelineEntry, ...]
    chain: tuple[ChainItem, ...]
    stage_code: str | None = None


@dataclass(frozen=True)
class FormChoices:
    """What the form's selects offer."""

    kinds: tuple[KindView, ...]
    users: tuple[Choice, ...]
    partner_roles: tuple[Choice, ...]
    contact_roles: tuple[Choice, ...]
    demand_reasons: tuple[Choice, ...]
    current_login: str
    loss_reasons: tuple[Choice, ...] = ()
    demand_items: tuple[str, ...] = ()  # items asked for before, for completion


def form_choices(session: Session) -> FormChoices:
    from crm_tui.store.users import ensure_current_user

    login = ensure_current_user(session).login
    return FormChoices(
        kinds=tuple(list_kinds(session)),
        users=tuple(list_users(session)),
        partner_roles=tuple(list_classifier(session, "partner_role")),
        contact_roles=tuple(list_classifier(session, "contact_role")),
        demand_reasons=tuple(list_classifier(session, "demand_reason")),
        current_login=login,
        loss_reasons=tuple(list_classifier(session, "loss_reason")),
        demand_items=demand_items(session),
    )


def demand_items(session: Session, limit: int = ITEMS_OFFERED) -> tuple[str, ...]:
    """Items named in demand lines before, alphabetically (read by the index on item)."""
    rows = session.exec(
        select(DealDemandReason.item).where(col(DealDemandReason.item).is_not(None))
        .distinct().order_by(col(DealDemandReason.item)).limit(limit)
    ).all()
    return tuple(item for item in rows if item)


def agreements_for(session: Session, partner_key: str | None) -> list[Choice]:
    """Active agreements a deal with the partner may use: its individual ones, then typical."""
    conditions: list[Any] = [col(Agreement.kind) == AgreementKind.TYPICAL.value]
    if partner_key:
        partner = session.exec(select(Partner.id).where(Partner.key == partner_key)).first()
        if partner is not None:
            conditions.append(col(Agreement.partner_id) == partner)
    rows = session.exec(
        select(Agreement).where(or_(*conditions),
                                col(Agreement.status) == AgreementStatus.ACTIVE.value)
        .order_by(col(Agreement.kind), col(Agreement.name))
    ).all()
    rows = sorted(rows, key=lambda a: (a.kind != AgreementKind.INDIVIDUAL.value, a.name))
    return [Choice(row.id or 0, row.key, row.name) for row in rows]


def contacts_for(session: Session, partner_key: str | None) -> list[Choice]:
    """The partner's contact persons."""
    if not partner_key:
        return []
    rows = session.exec(
        select(Contact).join(Partner, col(Partner.id) == col(Contact.partner_id))
        .where(Partner.key == partner_key).order_by(col(Contact.name))
    ).all()
    return [Choice(row.id or 0, row.key, row.name) for row in rows]


def partner_names(session: Session, keys: list[str]) -> dict[str, str]:
    """Names of partners by key."""
    if not keys:
        return {}
    rows = session.exec(select(Partner.key, Partner.name).where(col(Partner.key).in_(keys)))
    return dict(rows.all())


def _code_map(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Classifier.id, Classifier.code)
                        .where(col(Classifier.id).in_(ids))).all()
    return {int(row_id or 0): code for row_id, code in rows}


def load_deal(session: Session, key: str) -> DealDetail:
    """Everything the form shows about one deal."""
    deal = session.exec(select(Deal).where(Deal.key == key)).first()
    if deal is None:
        raise NotFoundError(_("deal {key} no longer exists").format(key=key))
    deal_id = deal.id or 0
    partner = session.get(Partner, deal.partner_id)
    kind = session.get(DealKind, deal.kind_id)
    manager = session.get(User, deal.manager_id)
    agreement = session.get(Agreement, deal.agreement_id) if deal.agreement_id else None
    participants = session.exec(
        select(Partner.key, DealParticipant.role_id)
        .join(Partner, col(Partner.id) == col(DealParticipant.partner_id))
        .where(DealParticipant.deal_id == deal_id).order_by(col(DealParticipant.seq))
    ).all()
    contacts = session.exec(
        select(Contact.key, DealContact.role_id)
        .join(Contact, col(Contact.id) == col(DealContact.contact_id))
        .where(DealContact.deal_id == deal_id).order_by(col(DealContact.seq))
    ).all()
    demand = session.exec(
        select(DealDemandReason).where(DealDemandReason.deal_id == deal_id)
        .order_by(col(DealDemandReason.seq))
    ).all()
    codes = _code_map(session, {r for _k, r in participants} | {r for _k, r in contacts}
                      | {d.reason_id for d in demand if d.reason_id is not None})
    timeline = session.exec(
        select(DealStageEntry.at, Classifier.name, DealStageEntry.user_login)
        .join(Classifier, col(Classifier.id) == col(DealStageEntry.stage_id))
        .where(DealStageEntry.deal_id == deal_id).order_by(col(DealStageEntry.seq))
    ).all()
    chain = session.exec(
        select(Interaction).where(Interaction.subject_deal_id == deal_id)
        .order_by(col(Interaction.at), col(Interaction.id)).limit(INTERACTIONS_SHOWN)
    ).all()
    stage = session.get(Classifier, deal.stage_id) if deal.stage_id else None
    loss = session.get(Classifier, deal.loss_reason_id) if deal.loss_reason_id else None
    draft = DealDraft(
        name=deal.name, partner=partner.key if partner else None,
        kind=kind.code if kind else None, manager=manager.login if manager else None,
        amount=from_minor(deal.amount_minor), agreement=agreement.key if agreement else None,
        notes=deal.notes or "",
        participants=tuple((k, codes[r]) for k, r in participants),
        contacts=tuple((k, codes[r]) for k, r in contacts),
        demand=tuple(_demand_line(d, codes) for d in demand),
    )
    return DealDetail(
        key=deal.key, version=deal.version, draft=draft,
        partner_name=partner.name if partner else "", status=deal.status,
        stage=stage.name if stage else None, created_at=deal.created_at,
        closed_at=deal.closed_at, loss_reason=loss.name if loss else None,
        timeline=tuple(TimelineEntry(at, name, login or "") for at, name, login in timeline),
        chain=tuple(ChainItem(i.key, i.at, i.kind, i.topic, i.status) for i in chain),
        stage_code=stage.code if stage else None,
    )


def _demand_line(row: DealDemandReason, codes: dict[int, str]) -> DemandLine:
    def money(minor: int | None) -> Decimal | None:
        return None if minor is None else from_minor(minor)

    return DemandLine(
        codes[row.reason_id] if row.reason_id is not None else None, row.description or "",
        money(row.amount_minor), row.item or "",
        None if row.quantity_milli is None else Decimal(row.quantity_milli) / 1000,
        money(row.price_minor), bool(row.met))


def _id_of(session: Session, table: Any, column: Any, value: str | None, field: str,
           extra: Any = None) -> int:
    statement = select(table.id).where(column == value)
    if extra is not None:
        statement = statement.where(extra)
    found = session.exec(statement).first()
    if found is None:
        raise ValidationError(_("{value} does not exist").format(value=value), field=field)
    return int(found)


def _resolve(session: Session, draft: DealDraft) -> dict[str, Any]:
    """The draft's references as row ids (ValidationError naming the field when one is gone)."""
    values: dict[str, Any] = {
        "name": draft.name,
        "partner_id": _id_of(session, Partner, Partner.key, draft.partner, "partner"),
        "kind_id": _id_of(session, DealKind, DealKind.code, draft.kind, "kind"),
        "manager_id": _id_of(session, User, User.login, draft.manager, "manager"),
        "amount_minor": to_minor(draft.amount),
        "agreement_id": (_id_of(session, Agreement, Agreement.key, draft.agreement, "agreement")
                         if draft.agreement else None),
        "notes": draft.notes or None,
    }
    return values


def _children(session: Session, draft: DealDraft) -> tuple[list[Any], list[Any], list[Any]]:
    def role(kind: str, code: str, field: str) -> int:
        return _id_of(session, Classifier, Classifier.code, code, field, Classifier.kind == kind)

    participants = [(_id_of(session, Partner, Partner.key, p, "participants"),
                     role("partner_role", r, "participants")) for p, r in draft.participants]
    contacts = [(_id_of(session, Contact, Contact.key, c, "contacts"),
                 role("contact_role", r, "contacts")) for c, r in draft.contacts]
    def minor(money: Decimal | None) -> int | None:
        return None if money is None else to_minor(money)

    demand = [DealDemandReason(
        deal_id=0, seq=0, reason_id=None if d.reason is None
        else role("demand_reason", d.reason, "demand"), description=d.description or None,
        amount_minor=minor(d.amount), item=d.item or None,
        quantity_milli=None if d.quantity is None else int(d.quantity * 1000),
        price_minor=minor(d.price), met=d.met) for d in draft.demand]
    return participants, contacts, demand


def _write_children(session: Session, deal_id: int, draft: DealDraft) -> None:
    participants, contacts, demand = _children(session, draft)
    for table in (DealParticipant, DealContact, DealDemandReason):
        session.execute(delete(table).where(col(table.deal_id) == deal_id))  # type: ignore[attr-defined]
    session.add_all([DealParticipant(deal_id=deal_id, seq=i, partner_id=p, role_id=r)
                     for i, (p, r) in enumerate(participants, 1)])
    session.add_all([DealContact(deal_id=deal_id, seq=i, contact_id=c, role_id=r)
                     for i, (c, r) in enumerate(contacts, 1)])
    for seq, line in enumerate(demand, 1):
        line.deal_id, line.seq = deal_id, seq
    session.add_all(demand)


def _summary(draft: DealDraft) -> dict[str, str]:
    """The draft's fields as text, for the change history."""
    return {
        "name": draft.name, "partner": draft.partner or "", "kind": draft.kind or "",
        "manager": draft.manager or "", "amount": f"{draft.amount:.2f}",
        "agreement": draft.agreement or "", "notes": draft.notes,
        "participants": ", ".join(f"{p}:{r}" for p, r in draft.participants),
        "contacts": ", ".join(f"{c}:{r}" for c, r in draft.contacts),
        "demand": ", ".join(_demand_summary(d) for d in draft.demand),
    }


def _demand_summary(line: DemandLine) -> str:
    def show(value: Decimal | None) -> str:
        return "" if value is None else str(value)

    if not line.item and not line.met and line.quantity is None and line.price is None:
        return f"{line.reason}:{line.description}:{show(line.amount)}"  # as before lines
    return ":".join((line.item or line.description, show(line.quantity), show(line.price),
                     show(line.amount), "met" if line.met else line.reason or ""))


def create_deal(session: Session, draft: DealDraft) -> str:
    """Insert a new deal (at its kind's first stage, with that history entry); its key."""
    draft = validate_draft(draft)
    values = _resolve(session, draft)
    check_can_edit(session, values["manager_id"])
    kind = kind_by_id(session, values["kind_id"])
    now = clock.now()
    key = next_key(session, "deal")
    first = initial_stage(kind.rules)
    stage_id = next(s.id for s in kind.stages if s.code == first) if first else None
    deal = Deal(key=key, created_at=now, status=DealStatus.OPEN.value, stage_id=stage_id,
                stage_at=now if stage_id else None, **values)
    session.add(deal)
    session.flush()
    if stage_id is not None:
        add_stage_entry(session, deal.id or 0, stage_id, now)
    _write_children(session, deal.id or 0, draft)
    changes: dict[str, tuple[Any, Any]] = {k: (None, v) for k, v in _summary(draft).items() if v}
    audit.record(session, "deal", key, "insert", changes)
    return key


def update_deal(session: Session, key: str, seen_version: int, draft: DealDraft) -> int:
    """Save an edited deal if nobody saved it since `seen_version`; the new version.

    A closed deal is read-only until reopened. The kind changes only as the stage rules
    allow (domain/stages.py: check_kind_change); a deal given a staged kind starts at that
    kind's first stage, recorded in its stage history."""
    draft = validate_draft(draft)
    before = load_deal(session, key)
    deal = session.exec(select(Deal).where(Deal.key == key)).one()
    check_can_edit(session, deal.manager_id)
    if deal.status != DealStatus.OPEN.value:
        raise ValidationError(_("the deal is closed; reopen it to edit it"), field="name")
    values = _resolve(session, draft)
    if values["manager_id"] != deal.manager_id:
        check_can_edit(session, values["manager_id"])
    changes: dict[str, tuple[Any, Any]] = {}
    entered: tuple[int, datetime] | None = None
    if values["kind_id"] != deal.kind_id:
        try:
            check_kind_change(deal.status, bool(before.timeline))
        except StageRuleError as error:
            raise ValidationError(str(error), field="kind") from error
        kind = kind_by_id(session, values["kind_id"])
        first = initial_stage(kind.rules)
        stage = next((s for s in kind.stages if s.code == first), None)
        now = clock.now()
        values["stage_id"] = stage.id if stage else None
        values["stage_at"] = now if stage else None
        if stage is not None:
            entered = (stage.id, now)
            changes["stage"] = (before.stage, stage.name)
    version = update_versioned(session, "deal", deal.id or 0, seen_version, values)
    if entered is not None:
        add_stage_entry(session, deal.id or 0, *entered)
    _write_children(session, deal.id or 0, draft)
    old, new = _summary(before.draft), _summary(draft)
    changes.update({k: (old[k], new[k]) for k in new})
    audit.record(session, "deal", key, "update", changes)
    return version


def current_draft(session: Session, key: str) -> tuple[int, DealDraft]:
    """The saved version and fields of a deal (to show what someone else changed)."""
    detail = load_deal(session, key)
    return detail.version, detail.draft


def amount_or_none(text: str) -> Decimal | None:
    """An optional amount typed by the user ("" → None)."""
    from crm_tui.domain.deals import parse_amount

    return parse_amount(text, "demand") if text.strip() else None
