"""Creating many partners in one transaction (a spreadsheet import of 100 000 rows): the
same rows and audit rows as `repo_partners_write.create_partner`, written with SQLAlchemy
Core (the ORM's unit of work cost ~30 ms a partner), keys taken from the sequence in memory
and audit rows inserted in batches. Call `finish()` before the transaction ends."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session

from crm_tui.domain import clock
from crm_tui.domain.enums import mask_to_roles
from crm_tui.domain.partners import (
    ContactInput,
    CounterpartyInput,
    PartnerInput,
    check_partner,
    validate_contact,
    validate_counterparty,
)
from crm_tui.store.keys import PREFIXES
from crm_tui.store.models import (
    ChangeLog,
    Contact,
    Counterparty,
    KeySequence,
    Partner,
    PartnerCounterparty,
)
from crm_tui.store.users import current_login

AUDIT_BATCH = 2000
# Core tables, used on the session's connection: the ORM-enabled statements of the models
# cost several times more per row.
PARTNER: Any = Partner.__table__  # type: ignore[attr-defined]
COUNTERPARTY: Any = Counterparty.__table__  # type: ignore[attr-defined]
CONTACT: Any = Contact.__table__  # type: ignore[attr-defined]
LINK: Any = PartnerCounterparty.__table__  # type: ignore[attr-defined]
CHANGE_LOG: Any = ChangeLog.__table__  # type: ignore[attr-defined]
SEQUENCE: Any = KeySequence.__table__  # type: ignore[attr-defined]
_TABLES = {"partner": PARTNER, "counterparty": COUNTERPARTY, "contact": CONTACT}


class PartnerBulkWriter:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.conn = session.connection()
        self.login = current_login()
        self.audit: list[dict[str, Any]] = []
        self.sequences: dict[str, int] = {}

    def _key(self, entity: str) -> str:
        if entity not in self.sequences:
            stored = self.conn.execute(select(SEQUENCE.c.next_value).where(
                SEQUENCE.c.entity == entity)).scalar_one_or_none()
            self.sequences[entity] = stored or 1
        table: Any = _TABLES[entity]
        while True:
            key = f"{PREFIXES[entity]}{self.sequences[entity]:06d}"
            self.sequences[entity] += 1
            if self.conn.execute(select(table.c.id).where(table.c.key == key)).first() is None:
                return key

    def _record(self, entity: str, key: str, action: str,
                changes: dict[str, tuple[Any, Any]]) -> None:
        at = clock.now()
        rows = [dict(at=at, user_login=self.login, entity=entity, record_key=key,
                     action=action, field=name, old=None if old is None else str(old),
                     new=None if new is None else str(new))
                for name, (old, new) in changes.items() if old != new]
        self.audit.extend(rows or [dict(at=at, user_login=self.login, entity=entity,
                                        record_key=key, action=action, field=None, old=None,
                                        new=None)])
        if len(self.audit) >= AUDIT_BATCH:
            self._flush_audit()

    def _flush_audit(self) -> None:
        if self.audit:
            self.conn.execute(insert(CHANGE_LOG), self.audit)
            self.audit = []

    def create(self, data: PartnerInput) -> str:
        """Insert a partner with its new or linked legal entity and contacts; its key."""
        name, mask, comment = check_partner(data)
        counterparty = (validate_counterparty(data.new_counterparty)
                        if data.new_counterparty is not None else None)
        contacts = [validate_contact(c) for c in data.contacts]
        key = self._key("partner")
        partner_id = self.conn.execute(insert(PARTNER).values(
            key=key, name=name, region_id=data.region_id, roles=mask,
            manager_id=data.manager_id, comment=comment or None).returning(
            PARTNER.c.id)).scalar_one()
        self._record("partner", key, "insert", {
            "name": (None, name), "region_id": (None, data.region_id),
            "roles": (None, ",".join(mask_to_roles(mask))),
            "manager_id": (None, data.manager_id), "comment": (None, comment or None)})
        links = {int(row.id): row.key for row in self.conn.execute(
            select(COUNTERPARTY.c.id, COUNTERPARTY.c.key).where(
                COUNTERPARTY.c.key.in_(data.link_counterparty_keys)))}
        if counterparty is not None:
            links.update([self._counterparty(counterparty)])
        for counterparty_id, cp_key in links.items():
            self.conn.execute(insert(LINK).values(partner_id=partner_id,
                                                  counterparty_id=counterparty_id))
            self._record("partner", key, "update", {"counterparties": (None, f"+{cp_key}")})
        for contact in contacts:
            self._contact(partner_id, key, contact)
        return key

    def _counterparty(self, data: CounterpartyInput) -> tuple[int, str]:
        key = self._key("counterparty")
        values = {"inn": data.inn, "kpp": data.kpp or None, "ogrn": data.ogrn or None,
                  "short_name": data.short_name, "full_name": data.full_name,
                  "legal_address": data.legal_address or None, "phone": data.phone or None}
        row_id = self.conn.execute(insert(COUNTERPARTY).values(key=key, **values).returning(
            COUNTERPARTY.c.id)).scalar_one()
        self._record("counterparty", key, "insert", {k: (None, v) for k, v in values.items()})
        return int(row_id), key

    def _contact(self, partner_id: int, partner_key: str, data: ContactInput) -> None:
        key = self._key("contact")
        phones = json.dumps(list(data.phones), ensure_ascii=False)
        emails = json.dumps(list(data.emails), ensure_ascii=False)
        self.conn.execute(insert(CONTACT).values(
            key=key, partner_id=partner_id, name=data.name, position=data.position or None,
            phones=phones, emails=emails))
        self._record("contact", key, "insert", {
            "partner": (None, partner_key), "name": (None, data.name),
            "position": (None, data.position or None), "phones": (None, phones),
            "emails": (None, emails)})

    def finish(self) -> None:
        """Write the audit rows still buffered and the key sequences moved on (also before
        the ORM writes in the same transaction: its `next_key` then starts after ours)."""
        self._flush_audit()
        self.session.expire_all()  # a KeySequence the ORM holds is read again
        for entity, next_value in self.sequences.items():
            stored = self.conn.execute(select(SEQUENCE.c.next_value).where(
                SEQUENCE.c.entity == entity)).scalar_one_or_none()
            if stored is None:
                self.conn.execute(insert(SEQUENCE).values(entity=entity,
                                                                next_value=next_value))
            elif stored < next_value:
                self.conn.execute(update(SEQUENCE).where(
                    SEQUENCE.c.entity == entity).values(next_value=next_value))
        self.sequences.clear()  # read again after the ORM's next_key may have moved them
