"""Partners, their counterparties (legal entities) and contacts: reads.

Screens get frozen dataclasses, never ORM rows. Search and the partner list's pages live in
`search_partners`; writes in `repo_partners_write`; the card's related lists in
`repo_partners_related`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from crm_tui.domain.enums import mask_to_roles
from crm_tui.domain.errors import NotFoundError
from crm_tui.domain.text import normalise_search
from crm_tui.i18n import _
from crm_tui.store.models import (
    Classifier,
    Contact,
    Counterparty,
    Partner,
    PartnerCounterparty,
    User,
)
from crm_tui.store.search_partners import PartnerHit, search_partners


# -- views -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    """An id and a display name (regions, managers)."""

    id: int
    name: str


@dataclass(frozen=True)
class CounterpartyView:
    key: str
    inn: str
    kpp: str
    ogrn: str
    short_name: str
    full_name: str
    legal_address: str
    phone: str
    partner_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContactView:
    key: str
    name: str
    position: str
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    version: int


@dataclass(frozen=True)
class PartnerView:
    """Everything the card's details tab shows."""

    id: int
    key: str
    name: str
    region_id: int | None
    region: str
    roles: tuple[str, ...]
    manager_id: int | None
    manager: str
    comment: str
    version: int
    counterparties: tuple[CounterpartyView, ...] = ()
    contacts: tuple[ContactView, ...] = ()



def _counterparty_view(row: Counterparty, partner_keys: Sequence[str] = ()) -> CounterpartyView:
    return CounterpartyView(
        key=row.key,
        inn=row.inn,
        kpp=row.kpp or "",
        ogrn=row.ogrn or "",
        short_name=row.short_name,
        full_name=row.full_name,
        legal_address=row.legal_address or "",
        phone=row.phone or "",
        partner_keys=tuple(partner_keys),
    )


def _contact_view(row: Contact) -> ContactView:
    return ContactView(
        key=row.key,
        name=row.name,
        position=row.position or "",
        phones=tuple(json.loads(row.phones or "[]")),
        emails=tuple(json.loads(row.emails or "[]")),
        version=row.version,
    )


def partner_row(session: Session, key: str) -> Partner:
    row = session.execute(select(Partner).where(col(Partner.key) == key)).scalar_one_or_none()
    if row is None:
        raise NotFoundError(_("partner {key} does not exist").format(key=key))
    return row


def partner_id(session: Session, key: str) -> int:
    """The row id of partner `key` (NotFoundError if absent)."""
    row_id = session.execute(
        select(col(Partner.id)).where(col(Partner.key) == key)
    ).scalar_one_or_none()
    if row_id is None:
        raise NotFoundError(_("partner {key} does not exist").format(key=key))
    return int(row_id)


def partner_name(session: Session, key: str) -> str | None:
    """The name of partner `key`, or None."""
    return session.execute(
        select(col(Partner.name)).where(col(Partner.key) == key)
    ).scalar_one_or_none()


def get_partner(session: Session, key: str) -> PartnerView:
    """The partner with its counterparties and contacts."""
    row = partner_row(session, key)
    region = session.get(Classifier, row.region_id) if row.region_id else None
    manager = session.get(User, row.manager_id) if row.manager_id else None
    cps = (
        session.execute(
            select(Counterparty)
            .join(
                PartnerCounterparty,
                col(PartnerCounterparty.counterparty_id) == col(Counterparty.id),
            )
            .where(col(PartnerCounterparty.partner_id) == row.id)
            .order_by(col(Counterparty.short_name))
        )
        .scalars()
        .all()
    )
    contacts = (
        session.execute(
            select(Contact)
            .where(col(Contact.partner_id) == row.id)
            .order_by(col(Contact.name), col(Contact.id))
        )
        .scalars()
        .all()
    )
    assert row.id is not None
    return PartnerView(
        id=row.id,
        key=row.key,
        name=row.name,
        region_id=row.region_id,
        region=region.name if region else "",
        roles=tuple(mask_to_roles(row.roles)),
        manager_id=row.manager_id,
        manager=manager.name if manager else "",
        comment=row.comment or "",
        version=row.version,
        counterparties=tuple(_counterparty_view(c, _linked_keys(session, c.id)) for c in cps),
        contacts=tuple(_contact_view(c) for c in contacts),
    )


def _linked_keys(session: Session, counterparty_id: int | None) -> list[str]:
    return list(
        session.execute(
            select(col(Partner.key))
            .join(PartnerCounterparty, col(PartnerCounterparty.partner_id) == col(Partner.id))
            .where(col(PartnerCounterparty.counterparty_id) == counterparty_id)
            .order_by(col(Partner.key))
        ).scalars()
    )


def regions(session: Session) -> list[Choice]:
    """Business regions (not archived) in classifier order."""
    rows = session.execute(
        select(col(Classifier.id), col(Classifier.name))
        .where(col(Classifier.kind) == "region", col(Classifier.archived).is_(False))  # type: ignore[attr-defined]
        .order_by(col(Classifier.sort_order), col(Classifier.name))
    )
    return [Choice(int(r.id), r.name) for r in rows]


def managers(session: Session) -> list[Choice]:
    """Every user, by name."""
    return [
        Choice(int(r.id), r.name)
        for r in session.execute(select(col(User.id), col(User.name)).order_by(col(User.name)))
    ]


def counterparties_by_inn(session: Session, inn: str, kpp: str = "") -> list[CounterpartyView]:
    """Legal entities with this INN (and this KPP when given), with their partners."""
    statement = select(Counterparty).where(col(Counterparty.inn) == inn.strip())
    if kpp.strip():
        statement = statement.where(col(Counterparty.kpp) == kpp.strip().upper())
    rows = session.execute(statement.order_by(col(Counterparty.key))).scalars().all()
    return [_counterparty_view(r, _linked_keys(session, r.id)) for r in rows]


def find_counterparty(session: Session, key: str) -> CounterpartyView:
    row = session.execute(
        select(Counterparty).where(col(Counterparty.key) == key)
    ).scalar_one_or_none()
    if row is None:
        raise NotFoundError(_("counterparty {key} does not exist").format(key=key))
    return _counterparty_view(row, _linked_keys(session, row.id))


def search_counterparties(session: Session, text_: str, limit: int = 20) -> list[CounterpartyView]:
    """Legal entities by INN prefix or short name (for linking an existing one)."""
    value = text_.strip()
    statement = select(Counterparty)
    if value.isdigit():
        statement = statement.where(col(Counterparty.inn).startswith(value))  # type: ignore[attr-defined]
    elif value:
        statement = statement.where(col(Counterparty.short_name).contains(value))  # type: ignore[attr-defined]
    rows = session.execute(statement.order_by(col(Counterparty.inn)).limit(limit)).scalars().all()
    return [_counterparty_view(r) for r in rows]


@dataclass(frozen=True)
class Duplicates:
    """What the wizard's duplicate step shows."""

    same_inn: tuple[CounterpartyView, ...]
    similar: tuple[PartnerHit, ...]


def find_duplicates(
    session: Session,
    inn: str,
    kpp: str,
    name: str,
    phones: Sequence[str] = (),
    emails: Sequence[str] = (),
) -> Duplicates:
    """Counterparties with the same INN (+KPP) and partners with a similar name, phone or e-mail."""
    same = counterparties_by_inn(session, inn, kpp) if inn.strip() else []
    if inn.strip() and not same and kpp.strip():
        same = []
    seen: dict[str, PartnerHit] = {}
    probes = [name] + [p for p in phones if p] + [e for e in emails if e]
    for probe in probes:
        words = [w for w in normalise_search(probe).split() if len(w) > 2][:3]
        for hit in search_partners(session, " ".join(words) if probe == name else probe, 10):
            seen.setdefault(hit.key, hit)
    return Duplicates(tuple(same), tuple(seen.values())[:20])



def get_contact(session: Session, key: str) -> ContactView:
    row = session.execute(select(Contact).where(col(Contact.key) == key)).scalar_one_or_none()
    if row is None:
        raise NotFoundError(_("contact {key} does not exist").format(key=key))
    return _contact_view(row)


