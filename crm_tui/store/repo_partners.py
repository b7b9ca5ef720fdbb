"""Partners, their counterparties (legal entities) and contacts: reads and audited writes.

Screens get frozen dataclasses, never ORM rows. Search lives in `search_partners`
(re-exported here: `search_partners(session, text, limit)`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import phonenumbers
from sqlalchemy import delete, func, insert, select, text
from sqlmodel import Session, col

from crm_tui.domain.enums import mask_to_roles, roles_to_mask
from crm_tui.domain.errors import NotFoundError, ValidationError
from crm_tui.domain.identifiers import validate_inn, validate_kpp, validate_ogrn
from crm_tui.domain.text import check_text, normalise_search
from crm_tui.i18n import _
from crm_tui.store import audit
from crm_tui.store.keys import next_key
from crm_tui.store.models import (
    Classifier,
    Contact,
    Counterparty,
    Partner,
    PartnerCounterparty,
    User,
)
from crm_tui.store.search_partners import (
    PartnerFilter,
    PartnerHit,
    count_partners,
    fetch_partners,
    match_query,
    search_partners,
)
from crm_tui.store.versioning import update_versioned

__all__ = [
    "PartnerFilter",
    "PartnerHit",
    "count_partners",
    "fetch_partners",
    "match_query",
    "search_partners",
]

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


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


# -- input -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CounterpartyInput:
    inn: str
    kpp: str = ""
    ogrn: str = ""
    short_name: str = ""
    full_name: str = ""
    legal_address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ContactInput:
    name: str
    position: str = ""
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartnerInput:
    name: str
    region_id: int | None = None
    roles: tuple[str, ...] = ("client",)
    manager_id: int | None = None
    comment: str = ""
    new_counterparty: CounterpartyInput | None = None
    link_counterparty_keys: tuple[str, ...] = ()
    contacts: tuple[ContactInput, ...] = field(default_factory=tuple)
    key: str | None = None  # a free key from a file (import-csv); None: the next one


# -- validation --------------------------------------------------------------------------
def normalise_phone(value: str) -> str:
    """A phone number in E.164 (Russian and international forms accepted)."""
    check_text(value, _("Phone"))
    try:
        number = phonenumbers.parse(value.strip(), "RU")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("not a phone number: {value}").format(value=value), field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_email(value: str) -> str:
    """An e-mail address (basic form check), trimmed."""
    text_ = check_text(value.strip(), _("E-mail"))
    if not _EMAIL.fullmatch(text_):
        raise ValidationError(
            _("not an e-mail address: {value}").format(value=value), field="email"
        )
    return text_


def _required(value: str, label: str) -> str:
    value = check_text(value.strip(), label)
    if not value:
        raise ValidationError(_("{field}: must not be empty").format(field=label), field=label)
    return value


def validate_contact(data: ContactInput) -> ContactInput:
    """The contact with phones in E.164 and checked e-mails, or ValidationError."""
    return ContactInput(
        name=_required(data.name, _("Name")),
        position=check_text(data.position.strip(), _("Position")),
        phones=tuple(normalise_phone(p) for p in data.phones if p.strip()),
        emails=tuple(validate_email(e) for e in data.emails if e.strip()),
    )


def validate_counterparty(data: CounterpartyInput) -> CounterpartyInput:
    """The legal entity with checked INN/KPP/OGRN; names default to each other."""
    inn = validate_inn(data.inn)
    kpp = validate_kpp(data.kpp) if data.kpp.strip() else ""
    ogrn = validate_ogrn(data.ogrn) if data.ogrn.strip() else ""
    short = check_text(data.short_name.strip(), _("Short name"))
    full = check_text(data.full_name.strip(), _("Full name"))
    if not short and not full:
        raise ValidationError(
            _("{field}: must not be empty").format(field=_("Short name")), field="short_name"
        )
    phone = normalise_phone(data.phone) if data.phone.strip() else ""
    return CounterpartyInput(
        inn=inn,
        kpp=kpp,
        ogrn=ogrn,
        short_name=short or full,
        full_name=full or short,
        legal_address=check_text(data.legal_address.strip(), _("Address")),
        phone=phone,
    )


# -- reads -------------------------------------------------------------------------------
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


def _partner_row(session: Session, key: str) -> Partner:
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
    row = _partner_row(session, key)
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


# -- writes ------------------------------------------------------------------------------
def _insert_counterparty(session: Session, data: CounterpartyInput) -> tuple[int, str]:
    data = validate_counterparty(data)
    key = next_key(session, "counterparty")
    row = Counterparty(
        key=key,
        inn=data.inn,
        kpp=data.kpp or None,
        ogrn=data.ogrn or None,
        short_name=data.short_name,
        full_name=data.full_name,
        legal_address=data.legal_address or None,
        phone=data.phone or None,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    audit.record(
        session,
        "counterparty",
        key,
        "insert",
        {
            "inn": (None, data.inn),
            "kpp": (None, data.kpp or None),
            "ogrn": (None, data.ogrn or None),
            "short_name": (None, data.short_name),
            "full_name": (None, data.full_name),
            "legal_address": (None, data.legal_address or None),
            "phone": (None, data.phone or None),
        },
    )
    return row.id, key


def _insert_contact(
    session: Session, partner_row_id: int, partner_key: str, data: ContactInput
) -> str:
    data = validate_contact(data)
    key = next_key(session, "contact")
    phones = json.dumps(list(data.phones), ensure_ascii=False)
    emails = json.dumps(list(data.emails), ensure_ascii=False)
    session.add(
        Contact(
            key=key,
            partner_id=partner_row_id,
            name=data.name,
            position=data.position or None,
            phones=phones,
            emails=emails,
        )
    )
    session.flush()
    audit.record(
        session,
        "contact",
        key,
        "insert",
        {
            "partner": (None, partner_key),
            "name": (None, data.name),
            "position": (None, data.position or None),
            "phones": (None, phones),
            "emails": (None, emails),
        },
    )
    return key


def _check_partner(data: PartnerInput) -> tuple[str, int, str]:
    name = _required(data.name, _("Name"))
    if not data.roles:
        raise ValidationError(_("choose at least one role"), field="roles")
    comment = check_text(data.comment.strip(), _("Comment"), multiline=True)
    return name, roles_to_mask(list(data.roles)), comment


def create_partner(session: Session, data: PartnerInput) -> str:
    """Insert a partner with its new/linked legal entities and contacts; return its key.

    Everything is validated before the first row is written (call inside db.write())."""
    name, mask, comment = _check_partner(data)
    if data.new_counterparty is not None:
        validate_counterparty(data.new_counterparty)
    contacts = [validate_contact(c) for c in data.contacts]
    link_ids = [_counterparty_id(session, k) for k in data.link_counterparty_keys]
    key = data.key or next_key(session, "partner")
    row = Partner(
        key=key,
        name=name,
        region_id=data.region_id,
        roles=mask,
        manager_id=data.manager_id,
        comment=comment or None,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    audit.record(
        session,
        "partner",
        key,
        "insert",
        {
            "name": (None, name),
            "region_id": (None, data.region_id),
            "roles": (None, ",".join(mask_to_roles(mask))),
            "manager_id": (None, data.manager_id),
            "comment": (None, comment or None),
        },
    )
    if data.new_counterparty is not None:
        cp_id, _cp_key = _insert_counterparty(session, data.new_counterparty)
        link_ids.append(cp_id)
    for cp_id in dict.fromkeys(link_ids):
        _link(session, row.id, key, cp_id)
    for contact in contacts:
        _insert_contact(session, row.id, key, contact)
    return key


def update_partner(
    session: Session,
    key: str,
    seen_version: int,
    name: str,
    region_id: int | None,
    roles: Sequence[str],
    manager_id: int | None,
    comment: str,
) -> int:
    """Save the details tab (optimistic lock); return the new version."""
    name, mask, comment = _check_partner(
        PartnerInput(name=name, roles=tuple(roles), comment=comment)
    )
    row = _partner_row(session, key)
    assert row.id is not None
    old = {
        "name": row.name,
        "region_id": row.region_id,
        "roles": row.roles,
        "manager_id": row.manager_id,
        "comment": row.comment,
    }
    new = {
        "name": name,
        "region_id": region_id,
        "roles": mask,
        "manager_id": manager_id,
        "comment": comment or None,
    }
    version = update_versioned(session, "partner", row.id, seen_version, new)
    audit.record(session, "partner", key, "update", {k: (old[k], new[k]) for k in new})
    return version


def _counterparty_id(session: Session, key: str) -> int:
    row_id = session.execute(
        select(col(Counterparty.id)).where(col(Counterparty.key) == key)
    ).scalar_one_or_none()
    if row_id is None:
        raise NotFoundError(_("counterparty {key} does not exist").format(key=key))
    return int(row_id)


def _link(session: Session, p_id: int, p_key: str, cp_id: int) -> None:
    exists = session.execute(
        select(func.count())
        .select_from(PartnerCounterparty)
        .where(
            col(PartnerCounterparty.partner_id) == p_id,
            col(PartnerCounterparty.counterparty_id) == cp_id,
        )
    ).scalar_one()
    if exists:
        return
    session.execute(insert(PartnerCounterparty).values(partner_id=p_id, counterparty_id=cp_id))
    cp_key = session.execute(
        select(col(Counterparty.key)).where(col(Counterparty.id) == cp_id)
    ).scalar_one()
    audit.record(session, "partner", p_key, "update", {"counterparties": (None, f"+{cp_key}")})


def link_counterparty(session: Session, partner_key: str, counterparty_key: str) -> None:
    """Link an existing legal entity to the partner (no-op when already linked)."""
    _link(
        session,
        partner_id(session, partner_key),
        partner_key,
        _counterparty_id(session, counterparty_key),
    )


def add_counterparty(session: Session, partner_key: str, data: CounterpartyInput) -> str:
    """Create a legal entity and link it to the partner; return its key."""
    p_id = partner_id(session, partner_key)
    cp_id, cp_key = _insert_counterparty(session, data)
    _link(session, p_id, partner_key, cp_id)
    return cp_key


def unlink_counterparty(session: Session, partner_key: str, counterparty_key: str) -> None:
    """Remove the link (the legal entity itself stays, other partners keep it)."""
    p_id = partner_id(session, partner_key)
    cp_id = _counterparty_id(session, counterparty_key)
    result = session.execute(
        delete(PartnerCounterparty).where(
            col(PartnerCounterparty.partner_id) == p_id,
            col(PartnerCounterparty.counterparty_id) == cp_id,
        )
    )
    if result.rowcount:  # type: ignore[attr-defined]
        audit.record(
            session,
            "partner",
            partner_key,
            "update",
            {"counterparties": (f"-{counterparty_key}", None)},
        )


def add_contact(session: Session, partner_key: str, data: ContactInput) -> str:
    """Add a contact person to the partner; return its key."""
    return _insert_contact(session, partner_id(session, partner_key), partner_key, data)


def update_contact(session: Session, key: str, seen_version: int, data: ContactInput) -> int:
    """Save a contact (optimistic lock); return the new version."""
    data = validate_contact(data)
    row = session.execute(select(Contact).where(col(Contact.key) == key)).scalar_one_or_none()
    if row is None:
        raise NotFoundError(_("contact {key} does not exist").format(key=key))
    assert row.id is not None
    old = {"name": row.name, "position": row.position, "phones": row.phones, "emails": row.emails}
    new = {
        "name": data.name,
        "position": data.position or None,
        "phones": json.dumps(list(data.phones), ensure_ascii=False),
        "emails": json.dumps(list(data.emails), ensure_ascii=False),
    }
    version = update_versioned(session, "contact", row.id, seen_version, new)
    audit.record(session, "contact", key, "update", {k: (old[k], new[k]) for k in new})
    return version


def get_contact(session: Session, key: str) -> ContactView:
    row = session.execute(select(Contact).where(col(Contact.key) == key)).scalar_one_or_none()
    if row is None:
        raise NotFoundError(_("contact {key} does not exist").format(key=key))
    return _contact_view(row)


def delete_contact(session: Session, key: str, unlink: bool = False) -> None:
    """Delete a contact (audited). One that deals or interactions refer to is refused
    (usages.RecordInUse names where) unless `unlink`: then it is first removed from them."""
    from crm_tui.store import usages

    row = session.execute(select(Contact).where(col(Contact.key) == key)).scalar_one_or_none()
    if row is None:
        raise NotFoundError(_("contact {key} does not exist").format(key=key))
    assert row.id is not None
    if unlink:
        usages.unlink_contact(session, row.id, key)
    else:
        usages.check_unused(session, "contact", key, f"«{row.name}»")
    session.execute(delete(Contact).where(col(Contact.id) == row.id))  # type: ignore[arg-type]
    audit.record(session, "contact", key, "delete", {"name": (row.name, None)})


def explain(session: Session, sql: str, params: dict[str, object]) -> list[str]:
    """The SQLite query plan of `sql` (details column), for tests and diagnostics."""
    return [r[3] for r in session.execute(text("EXPLAIN QUERY PLAN " + sql), params)]


# -- related records (the card's paged tabs) --------------------------------------------
@dataclass(frozen=True)
class RelatedRow:
    """One deal, interaction, claim or agreement of a partner, as display cells."""

    key: str
    cells: tuple[str, ...]
    style: str = ""


_RELATED: dict[str, tuple[str, str, str]] = {
    # kind: (table, columns, order) — every table has an index on partner_id.
    "deal": ("deal", "key, name, status, created_at, amount_minor", "created_at DESC, id DESC"),
    "interaction": ("interaction", "key, at, kind, topic, status", "at DESC, id DESC"),
    "claim": ("claim", "key, registered_at, status, description", "registered_at DESC, id DESC"),
    "agreement": ("agreement", "key, name, kind, status, valid_from", "id DESC"),
}


def related_count(session: Session, kind: str, partner_key: str) -> int:
    """How many records of `kind` the partner has."""
    table = _RELATED[kind][0]
    return int(session.execute(
        text(f"SELECT count(*) FROM {table} WHERE partner_id = "
             "(SELECT id FROM partner WHERE key = :key)"), {"key": partner_key}).scalar_one())


def _cell(value: object) -> str:
    if value is None:
        return ""
    text_ = str(value)
    return text_[:16] if len(text_) >= 19 and text_[4] == "-" and text_[10] in " T" else text_


def related_page(session: Session, kind: str, partner_key: str, offset: int,
                 limit: int) -> list[RelatedRow]:
    """One page of the partner's records of `kind`, newest first."""
    from crm_tui.domain.enums import LABELS
    from crm_tui.domain.money import from_minor

    table, columns, order = _RELATED[kind]
    rows = session.execute(
        text(f"SELECT {columns} FROM {table} WHERE partner_id = "
             f"(SELECT id FROM partner WHERE key = :key) ORDER BY {order} "
             "LIMIT :limit OFFSET :offset"),
        {"key": partner_key, "limit": limit, "offset": offset})
    result = []
    for row in rows:
        cells = []
        for name, value in row._mapping.items():
            if name == "key":
                continue
            if name == "amount_minor":
                cells.append(f"{from_minor(int(value or 0)):,.2f}".replace(",", " "))
            elif name in ("status", "kind") and isinstance(value, str) and value in LABELS:
                cells.append(_(LABELS[value]))
            else:
                cells.append(_cell(value))
        result.append(RelatedRow(str(row.key), tuple(cells)))
    return result
