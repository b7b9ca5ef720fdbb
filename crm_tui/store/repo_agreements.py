"""Agreements with clients: the filtered list, one agreement, saving, and the agreements
that apply to a partner (its individual ones plus the typical ones in force)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Table, and_, delete, func, insert, or_, select
from sqlalchemy.sql import Select
from sqlmodel import Session

from crm_tui.domain import clock
from crm_tui.domain.agreements import (
    AgreementDraft,
    PaymentLine,
    individual_from_typical,
    validate_agreement,
)
from crm_tui.domain.enums import AgreementKind, AgreementStatus
from crm_tui.domain.errors import NotFoundError, ValidationError
from crm_tui.i18n import _
from crm_tui.store import audit
from crm_tui.store.keys import next_key
from crm_tui.store.models import Agreement, AgreementPayment, Classifier, Partner
from crm_tui.store.permissions import check_can_edit, check_supervisor
from crm_tui.store.versioning import update_versioned


@dataclass(frozen=True)
class AgreementFilter:
    """The list's filters; None means any."""

    kind: str | None = None
    status: str | None = None
    partner_key: str | None = None
    price_type: str | None = None  # classifier code


@dataclass(frozen=True)
class AgreementRow:
    """One line of the agreements list."""

    key: str
    name: str
    kind: str
    status: str
    partner_key: str | None
    partner_name: str | None
    price_type: str | None  # name
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True)
class AgreementDetail:
    """One agreement as its form edits it."""

    id: int
    key: str
    version: int
    draft: AgreementDraft
    partner_name: str | None
    based_on_name: str | None


_A: Table = Agreement.__table__  # type: ignore[attr-defined]
_AP: Table = AgreementPayment.__table__  # type: ignore[attr-defined]
_P: Table = Partner.__table__  # type: ignore[attr-defined]
_C: Table = Classifier.__table__  # type: ignore[attr-defined]
_price = _C.alias("price_type")


def _list_query(session: Session, flt: AgreementFilter) -> Select[Any] | None:
    """The list's query, or None when a filter names something that does not exist."""
    conditions: list[Any] = []
    if flt.kind:
        conditions.append(_A.c.kind == flt.kind)
    if flt.status:
        conditions.append(_A.c.status == flt.status)
    if flt.partner_key:
        partner_id = session.execute(
            select(_P.c.id).where(_P.c.key == flt.partner_key)).scalar()
        if partner_id is None:
            return None
        conditions.append(_A.c.partner_id == partner_id)
    if flt.price_type:
        price_id = _classifier_id(session, "price_type", flt.price_type)
        if price_id is None:
            return None
        conditions.append(_A.c.price_type_id == price_id)
    return select(_A.c.id).where(*conditions)


def count_agreements(session: Session, flt: AgreementFilter) -> int:
    """How many agreements pass the filters."""
    query = _list_query(session, flt)
    if query is None:
        return 0
    return int(session.execute(
        select(func.count()).select_from(query.subquery())
    ).scalar_one())


def list_agreements(session: Session, flt: AgreementFilter, offset: int,
                    limit: int) -> list[AgreementRow]:
    """A page of the filtered list, ordered by key (the unique index)."""
    query = _list_query(session, flt)
    if query is None:
        return []
    page = query.order_by(_A.c.key).offset(
        offset).limit(limit).subquery()
    return _rows(session, select(page.c.id), order_by_key=True)


def _rows(session: Session, ids: Any, order_by_key: bool) -> list[AgreementRow]:
    statement = (
        select(_A.c.key, _A.c.name, _A.c.kind, _A.c.status, _P.c.key,
               _P.c.name, _price.c.name, _A.c.valid_from, _A.c.valid_to)
        .select_from(Agreement)
        .outerjoin(Partner, _P.c.id == _A.c.partner_id)
        .outerjoin(_price, _price.c.id == _A.c.price_type_id)
        .where((_A.c.id).in_(ids))
    )
    if order_by_key:
        statement = statement.order_by(_A.c.key)
    return [AgreementRow(*row) for row in session.execute(statement)]


def agreements_for_partner(session: Session, partner_key: str,
                           on: date | None = None) -> list[AgreementRow]:
    """The partner's individual agreements (every status) followed by the typical agreements
    that apply to it: active and in force on `on` (today by default). Ordered by key within
    each group; an unknown partner gets the typical ones only."""
    day = on or clock.now().date()
    partner_id = session.execute(select(_P.c.id).where(_P.c.key == partner_key)).scalar()
    individual: list[AgreementRow] = []
    if partner_id is not None:
        individual = _rows(session, select(_A.c.id).where(
            _A.c.partner_id == partner_id), order_by_key=True)
    typical = _rows(session, select(_A.c.id).where(
        _A.c.kind == AgreementKind.TYPICAL.value,
        _A.c.status == AgreementStatus.ACTIVE.value,
        or_((_A.c.valid_from).is_(None), (_A.c.valid_from) <= day),
        or_((_A.c.valid_to).is_(None), (_A.c.valid_to) >= day),
    ), order_by_key=True)
    return individual + typical


def typical_agreements(session: Session) -> list[AgreementRow]:
    """Every typical agreement not closed (to base an individual one on)."""
    return _rows(session, select(_A.c.id).where(
        _A.c.kind == AgreementKind.TYPICAL.value,
        _A.c.status != AgreementStatus.CLOSED.value), order_by_key=True)


def _classifier_id(session: Session, kind: str, code: str) -> int | None:
    return session.execute(select(_C.c.id).where(
        and_(_C.c.kind == kind, _C.c.code == code))).scalar()


def get_agreement(session: Session, key: str) -> AgreementDetail:
    """One agreement with its payment schedule; NotFoundError when there is none."""
    row = session.execute(select(Agreement).where(Agreement.key == key)).scalar()  # type: ignore[arg-type]
    if row is None or row.id is None:
        raise NotFoundError(_("agreement {key} does not exist").format(key=key))
    partner = session.get(Partner, row.partner_id) if row.partner_id else None
    price = session.get(Classifier, row.price_type_id) if row.price_type_id else None
    based = session.get(Agreement, row.based_on_id) if row.based_on_id else None
    lines = session.execute(
        select(_AP.c.percent, _AP.c.days)
        .where(_AP.c.agreement_id == row.id).order_by(_AP.c.line_no)
    ).all()
    draft = AgreementDraft(
        name=row.name, kind=row.kind, partner_key=partner.key if partner else None,
        price_type=price.code if price else None,
        schedule=tuple(PaymentLine(percent, days) for percent, days in lines),
        valid_from=row.valid_from, valid_to=row.valid_to, status=row.status,
        based_on=based.key if based else None,
    )
    return AgreementDetail(row.id, row.key, row.version, draft,
                           partner.name if partner else None, based.name if based else None)


def draft_from_typical(session: Session, typical_key: str,
                       partner_key: str | None = None) -> AgreementDraft:
    """An individual agreement's terms copied from a typical one (the form edits them)."""
    typical = get_agreement(session, typical_key)
    return individual_from_typical(typical.draft, typical_key, partner_key)


def _resolve(session: Session, draft: AgreementDraft) -> dict[str, Any]:
    """The draft's references as row ids; ValidationError naming a missing one."""
    values: dict[str, Any] = {"partner_id": None, "price_type_id": None, "based_on_id": None}
    if draft.partner_key:
        values["partner_id"] = session.execute(
            select(_P.c.id).where(_P.c.key == draft.partner_key)).scalar()
        if values["partner_id"] is None:
            raise ValidationError(_("partner {key} does not exist").format(key=draft.partner_key),
                                  field="partner")
    if draft.price_type:
        values["price_type_id"] = _classifier_id(session, "price_type", draft.price_type)
        if values["price_type_id"] is None:
            raise ValidationError(_("price type {code} does not exist").format(
                code=draft.price_type), field="price_type")
    if draft.based_on:
        based = session.execute(select(_A.c.id, _A.c.kind).where(
            _A.c.key == draft.based_on)).first()
        if based is None or based[1] != AgreementKind.TYPICAL:
            raise ValidationError(_("{key} is not a typical agreement").format(
                key=draft.based_on), field="based_on")
        values["based_on_id"] = based[0]
    return values


def _schedule_text(lines: tuple[PaymentLine, ...]) -> str:
    return "; ".join(f"{line.percent}% / {line.days}" for line in lines)


def _audit_values(draft: AgreementDraft) -> dict[str, Any]:
    return {"name": draft.name, "kind": draft.kind, "partner": draft.partner_key,
            "price_type": draft.price_type, "payment_schedule": _schedule_text(draft.schedule),
            "valid_from": draft.valid_from, "valid_to": draft.valid_to, "status": draft.status,
            "based_on": draft.based_on}


def _write_schedule(session: Session, agreement_id: int, lines: tuple[PaymentLine, ...]) -> None:
    session.execute(delete(AgreementPayment).where(
        (_AP.c.agreement_id) == agreement_id))
    if lines:
        session.execute(insert(AgreementPayment), [
            {"agreement_id": agreement_id, "line_no": number, "percent": line.percent,
             "days": line.days} for number, line in enumerate(lines, 1)])


def check_can_write(session: Session, draft: AgreementDraft) -> None:
    """Raise PermissionDenied unless the current user may write `draft`: typical agreements
    are the company's terms (supervisors and administrators); an individual one belongs with
    its partner's manager."""
    if draft.kind == AgreementKind.TYPICAL:
        check_supervisor(session)
        return
    manager_id = None
    if draft.partner_key:
        manager_id = session.execute(
            select(_P.c.manager_id).where(_P.c.key == draft.partner_key)).scalar()
    check_can_edit(session, manager_id)


def create_agreement(session: Session, draft: AgreementDraft) -> str:
    """Save a new agreement (validated, audited); returns its new key."""
    draft = validate_agreement(draft)
    refs = _resolve(session, draft)
    check_can_write(session, draft)
    key = next_key(session, "agreement")
    row = Agreement(key=key, kind=draft.kind, name=draft.name, valid_from=draft.valid_from,
                    valid_to=draft.valid_to, status=draft.status, **refs)
    session.add(row)
    session.flush()
    assert row.id is not None
    _write_schedule(session, row.id, draft.schedule)
    audit.record(session, "agreement", key, "insert",
                 {name: (None, value) for name, value in _audit_values(draft).items()})
    return key


def update_agreement(session: Session, key: str, seen_version: int,
                     draft: AgreementDraft) -> int:
    """Save an edited agreement seen at `seen_version`; returns the new version.

    ConflictError when someone else saved it in between."""
    draft = validate_agreement(draft)
    current = get_agreement(session, key)
    refs = _resolve(session, draft)
    # Allowed to change it as it was, and to save it as it will be.
    check_can_write(session, current.draft)
    check_can_write(session, draft)
    if refs["based_on_id"] == current.id:
        raise ValidationError(_("an agreement cannot be based on itself"), field="based_on")
    version = update_versioned(session, "agreement", current.id, seen_version, {
        "kind": draft.kind, "name": draft.name, "valid_from": draft.valid_from,
        "valid_to": draft.valid_to, "status": draft.status, **refs})
    if draft.schedule != current.draft.schedule:
        _write_schedule(session, current.id, draft.schedule)
    old, new = _audit_values(current.draft), _audit_values(draft)
    audit.record(session, "agreement", key, "update",
                 {name: (old[name], new[name]) for name in new})
    return version
