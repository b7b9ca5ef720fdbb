"""Creating many partners and contacts in one transaction (a spreadsheet import of 100 000
rows): the same rows and audit rows as `repo_partners_write.create_partner` / `add_contact`,
written with SQLAlchemy Core `executemany` a chunk at a time (the ORM's unit of work cost
~30 ms a partner, one Core statement per row still ~6 ms). Keys come from the sequence held
in memory, a block of candidates checked with one query. Call `flush()` at the end of a
chunk and before anything else writes in the transaction, `finish()` before it ends."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session, SQLModel

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

KEY_BLOCK = 1000  # candidate keys checked for being taken with one query
# Core tables, used on the session's connection: the ORM-enabled statements of the models
# cost several times more per row.
PARTNER: Any = Partner.__table__  # type: ignore[attr-defined]
COUNTERPARTY: Any = Counterparty.__table__  # type: ignore[attr-defined]
CONTACT: Any = Contact.__table__  # type: ignore[attr-defined]
LINK: Any = PartnerCounterparty.__table__  # type: ignore[attr-defined]
CHANGE_LOG: Any = ChangeLog.__table__  # type: ignore[attr-defined]
SEQUENCE: Any = KeySequence.__table__  # type: ignore[attr-defined]


def insert_returning_ids(conn: Any, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` (each with its unique `key`) with one executemany; their new ids in
    the rows' order. (INSERT … RETURNING in the rows' order goes a row at a time on
    SQLite: the ids are read back by key instead.)"""
    if not rows:
        return []
    conn.execute(insert(table), rows)
    keys = [row["key"] for row in rows]
    ids = dict(conn.execute(select(table.c.key, table.c.id).where(table.c.key.in_(keys))).all())
    return [int(ids[key]) for key in keys]


class BulkWriter:
    """Keys as `keys.next_key` gives them, audit rows as `audit.record` writes them, and the
    rows of a chunk held until `flush()`."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.conn = session.connection()
        self.login = current_login()
        self.audit: list[dict[str, Any]] = []
        self.sequences: dict[str, int] = {}
        self.checked: dict[str, tuple[int, set[str]]] = {}  # entity -> (end, keys taken)

    def key(self, entity: str) -> str:
        """The next free key of `entity` (the stored sequence, skipping keys taken)."""
        if entity not in self.sequences:
            stored = self.conn.execute(select(SEQUENCE.c.next_value).where(
                SEQUENCE.c.entity == entity)).scalar_one_or_none()
            self.sequences[entity] = stored or 1
        while True:
            number = self.sequences[entity]
            end, taken = self.checked.get(entity, (0, set()))
            if number >= end:
                table = SQLModel.metadata.tables[entity]
                block = [self._format(entity, n) for n in range(number, number + KEY_BLOCK)]
                taken = set(self.conn.execute(select(table.c.key).where(
                    table.c.key.in_(block))).scalars())
                self.checked[entity] = (number + KEY_BLOCK, taken)
            self.sequences[entity] = number + 1
            key = self._format(entity, number)
            if key not in taken:
                return key

    @staticmethod
    def _format(entity: str, number: int) -> str:
        return f"{PREFIXES[entity]}{number:06d}"

    def record(self, entity: str, key: str, action: str,
               changes: dict[str, tuple[Any, Any]]) -> None:
        at = clock.now()
        rows = [dict(at=at, user_login=self.login, entity=entity, record_key=key,
                     action=action, field=name, old=None if old is None else str(old),
                     new=None if new is None else str(new))
                for name, (old, new) in changes.items() if old != new]
        self.audit.extend(rows or [dict(at=at, user_login=self.login, entity=entity,
                                        record_key=key, action=action, field=None, old=None,
                                        new=None)])

    def flush(self) -> None:
        """Write the rows held (the ORM's pending rows first, so the history keeps its
        order)."""
        self.session.flush()
        self._write()
        if self.audit:
            self.conn.execute(insert(CHANGE_LOG), self.audit)
            self.audit = []

    def _write(self) -> None:
        """The rows of the records held (subclasses)."""

    def finish(self) -> None:
        """Flush, and store the key sequences moved on (also before the ORM writes in the
        same transaction: its `next_key` then starts after ours)."""
        self.flush()
        self.session.expire_all()  # a KeySequence the ORM holds is read again
        for entity, next_value in self.sequences.items():
            stored = self.conn.execute(select(SEQUENCE.c.next_value).where(
                SEQUENCE.c.entity == entity)).scalar_one_or_none()
            if stored is None:
                self.conn.execute(insert(SEQUENCE).values(entity=entity, next_value=next_value))
            elif stored < next_value:
                self.conn.execute(update(SEQUENCE).where(
                    SEQUENCE.c.entity == entity).values(next_value=next_value))
        # read again: the ORM's next_key may move them, or take keys, before our next one
        self.sequences.clear()
        self.checked.clear()


class PartnerBulkWriter(BulkWriter):
    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.partners: list[dict[str, Any]] = []
        self.counterparties: list[dict[str, Any]] = []
        self.links: list[tuple[str, str]] = []  # (partner key, counterparty key)
        self.contacts: list[dict[str, Any]] = []  # partner_id, or "partner" (a key held)

    def create(self, data: PartnerInput) -> str:
        """A partner with its new or linked legal entity and contacts; its key."""
        name, mask, comment = check_partner(data)
        counterparty = (validate_counterparty(data.new_counterparty)
                        if data.new_counterparty is not None else None)
        contacts = [validate_contact(c) for c in data.contacts]
        key = self.key("partner")
        self.partners.append(dict(key=key, name=name, region_id=data.region_id, roles=mask,
                                  manager_id=data.manager_id, comment=comment or None))
        self.record("partner", key, "insert", {
            "name": (None, name), "region_id": (None, data.region_id),
            "roles": (None, ",".join(mask_to_roles(mask))),
            "manager_id": (None, data.manager_id), "comment": (None, comment or None)})
        links = list(dict.fromkeys(data.link_counterparty_keys))
        if counterparty is not None:
            links.append(self._counterparty(counterparty))
        for cp_key in links:
            self.links.append((key, cp_key))
            self.record("partner", key, "update", {"counterparties": (None, f"+{cp_key}")})
        for contact in contacts:
            self.contact(None, key, contact, checked=True)
        return key

    def _counterparty(self, data: CounterpartyInput) -> str:
        key = self.key("counterparty")
        values = {"inn": data.inn, "kpp": data.kpp or None, "ogrn": data.ogrn or None,
                  "short_name": data.short_name, "full_name": data.full_name,
                  "legal_address": data.legal_address or None, "phone": data.phone or None}
        self.counterparties.append(dict(key=key, **values))
        self.record("counterparty", key, "insert", {k: (None, v) for k, v in values.items()})
        return key

    def contact(self, partner_id: int | None, partner_key: str, data: ContactInput,
                checked: bool = False) -> str:
        """A contact of a stored partner (`partner_id`) or of one held (None)."""
        if not checked:
            data = validate_contact(data)
        key = self.key("contact")
        phones = json.dumps(list(data.phones), ensure_ascii=False)
        emails = json.dumps(list(data.emails), ensure_ascii=False)
        self.contacts.append(dict(key=key, partner_id=partner_id, partner=partner_key,
                                  name=data.name, position=data.position or None,
                                  phones=phones, emails=emails))
        self.record("contact", key, "insert", {
            "partner": (None, partner_key), "name": (None, data.name),
            "position": (None, data.position or None), "phones": (None, phones),
            "emails": (None, emails)})
        return key

    def _write(self) -> None:
        partner_ids = dict(zip([p["key"] for p in self.partners],
                               insert_returning_ids(self.conn, PARTNER, self.partners),
                               strict=True))
        cp_ids = dict(zip([c["key"] for c in self.counterparties],
                          insert_returning_ids(self.conn, COUNTERPARTY, self.counterparties),
                          strict=True))
        wanted = {cp for _p, cp in self.links if cp not in cp_ids}
        if wanted:
            cp_ids.update((row.key, int(row.id)) for row in self.conn.execute(
                select(COUNTERPARTY.c.id, COUNTERPARTY.c.key).where(
                    COUNTERPARTY.c.key.in_(wanted))))
        if self.links:
            self.conn.execute(insert(LINK), [
                dict(partner_id=partner_ids[p], counterparty_id=cp_ids[cp])
                for p, cp in self.links])
        if self.contacts:
            self.conn.execute(insert(CONTACT), [
                {**{k: v for k, v in c.items() if k != "partner"},
                 "partner_id": c["partner_id"] or partner_ids[c["partner"]]}
                for c in self.contacts])
        self.partners, self.counterparties, self.links, self.contacts = [], [], [], []

