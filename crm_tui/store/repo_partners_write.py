"""Partners, their counterparties (legal entities) and contacts: audited writes.

Input is checked by domain.partners before the first row is written; call inside db.write()."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import delete, func, insert, select
from sqlmodel import Session, col

from crm_tui.domain.enums import mask_to_roles
from crm_tui.domain.errors import NotFoundError
from crm_tui.domain.partners import (
    ContactInput,
    CounterpartyInput,
    PartnerInput,
    check_partner,
    validate_contact,
    validate_counterparty,
)
from crm_tui.i18n import _
from crm_tui.store import audit
from crm_tui.store.keys import next_key
from crm_tui.store.models import Contact, Counterparty, Partner, PartnerCounterparty
from crm_tui.store.repo_partners_read import partner_id, partner_row
from crm_tui.store.versioning import update_versioned


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


def create_partner(session: Session, data: PartnerInput) -> str:
    """Insert a partner with its new/linked legal entities and contacts; return its key.

    Everything is validated before the first row is written (call inside db.write())."""
    name, mask, comment = check_partner(data)
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
    name, mask, comment = check_partner(
        PartnerInput(name=name, roles=tuple(roles), comment=comment)
    )
    row = partner_row(session, key)
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
