"""A spreadsheet import a chunk at a time: what the chunk's rows look up, read with one query
each (partners by key, INN or name, legal entities by INN, the contacts and deals of the
partners named) instead of a few queries a row, and new deals written with `executemany`
as `repo_deals_form.create_deal` writes them one by one."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session

from crm_tui.domain import clock
from crm_tui.domain.deals import DealDraft, validate_draft
from crm_tui.domain.enums import DealStatus, UserRole
from crm_tui.domain.errors import PermissionDenied
from crm_tui.domain.money import to_minor
from crm_tui.domain.stages import initial_stage
from crm_tui.i18n import _
from crm_tui.store.bulk_partners import (
    CONTACT,
    COUNTERPARTY,
    LINK,
    PARTNER,
    BulkWriter,
    insert_returning_ids,
)
from crm_tui.store.models import Deal, DealStageEntry

DEAL: Any = Deal.__table__  # type: ignore[attr-defined]
STAGE_ENTRY: Any = DealStageEntry.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class PartnerRow:
    id: int
    key: str
    name: str


@dataclass(frozen=True)
class ContactRow:
    key: str
    version: int
    name: str
    position: str
    phones: tuple[str, ...]
    emails: tuple[str, ...]


def partner_keys(conn: Any, keys: Collection[str]) -> set[str]:
    """Those of `keys` that are partners'."""
    return set(conn.execute(select(PARTNER.c.key).where(PARTNER.c.key.in_(keys))).scalars())


def partners_by_inn(conn: Any, inns: Collection[str]
                    ) -> dict[str, list[tuple[str | None, PartnerRow]]]:
    """INN -> (the legal entity's KPP, its partner) for every link, by partner key."""
    found: dict[str, list[tuple[str | None, PartnerRow]]] = defaultdict(list)
    for r in conn.execute(
            select(COUNTERPARTY.c.inn, COUNTERPARTY.c.kpp, PARTNER.c.id, PARTNER.c.key,
                   PARTNER.c.name)
            .join(LINK, LINK.c.counterparty_id == COUNTERPARTY.c.id)
            .join(PARTNER, PARTNER.c.id == LINK.c.partner_id)
            .where(COUNTERPARTY.c.inn.in_(inns)).order_by(PARTNER.c.key)):
        found[r.inn].append((r.kpp, PartnerRow(int(r.id), r.key, r.name)))
    return found


def partners_by_name(conn: Any, names: Collection[str]
                     ) -> dict[str, list[tuple[PartnerRow, tuple[str, ...]]]]:
    """Name -> each partner of that name with a contact's phones (none: ()), by key."""
    found: dict[str, list[tuple[PartnerRow, tuple[str, ...]]]] = defaultdict(list)
    for r in conn.execute(
            select(PARTNER.c.id, PARTNER.c.key, PARTNER.c.name, CONTACT.c.phones)
            .outerjoin(CONTACT, CONTACT.c.partner_id == PARTNER.c.id)
            .where(PARTNER.c.name.in_(names)).order_by(PARTNER.c.key)):
        found[r.name].append((PartnerRow(int(r.id), r.key, r.name),
                              tuple(json.loads(r.phones or "[]"))))
    return found


def counterparties_by_inn(conn: Any, inns: Collection[str]
                          ) -> dict[str, list[tuple[str, str | None]]]:
    """INN -> (key, KPP) of the legal entities, by key."""
    found: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for r in conn.execute(select(COUNTERPARTY.c.key, COUNTERPARTY.c.inn, COUNTERPARTY.c.kpp)
                          .where(COUNTERPARTY.c.inn.in_(inns)).order_by(COUNTERPARTY.c.key)):
        found[r.inn].append((r.key, r.kpp))
    return found


def contacts_of(conn: Any, partner_ids: Collection[int]) -> dict[int, list[ContactRow]]:
    """The partners' contacts, by name (as the partner card lists them)."""
    found: dict[int, list[ContactRow]] = defaultdict(list)
    for r in conn.execute(select(CONTACT).where(CONTACT.c.partner_id.in_(partner_ids))
                          .order_by(CONTACT.c.name, CONTACT.c.id)):
        found[int(r.partner_id)].append(ContactRow(
            r.key, int(r.version), r.name, r.position or "", tuple(json.loads(r.phones)),
            tuple(json.loads(r.emails))))
    return found


def deals_of(conn: Any, partner_ids: Collection[int], names: Collection[str]
             ) -> dict[tuple[int, str], list[str]]:
    """(partner id, deal name) -> the keys of such deals, in order."""
    found: dict[tuple[int, str], list[str]] = defaultdict(list)
    for r in conn.execute(select(DEAL.c.key, DEAL.c.partner_id, DEAL.c.name).where(
            DEAL.c.partner_id.in_(partner_ids), DEAL.c.name.in_(names)).order_by(DEAL.c.key)):
        found[(int(r.partner_id), r.name)].append(r.key)
    return found


class DealBulkWriter(BulkWriter):
    """New deals as `create_deal` makes them (at the kind's first stage, with its history
    entry, the audit rows), started on the file's date at the file's stage."""

    def __init__(self, session: Session) -> None:
        from crm_tui.store.users import ensure_current_user

        super().__init__(session)
        user = ensure_current_user(session)
        self.user_id = user.id
        self.everyone = user.role in (UserRole.SUPERVISOR, UserRole.ADMIN)
        self.deals: list[dict[str, Any]] = []
        self.entries: list[list[tuple[int, datetime]]] = []  # per deal: (stage id, at)

    def create(self, draft: DealDraft, partner_id: int, kind: Any, manager_id: int,
               stage: Any, at: datetime | None) -> str:
        """`kind` a repo_deals.KindView, `stage` one of its stages or None."""
        draft = validate_draft(draft)
        if not self.everyone and manager_id != self.user_id:  # store/permissions.py
            raise PermissionDenied(_("a manager can change only their own records"))
        now = clock.now()
        key = self.key("deal")
        first = initial_stage(kind.rules)
        stage_id = next(s.id for s in kind.stages if s.code == first) if first else None
        start = at or now
        entries = [(stage_id, start)] if stage_id is not None else []
        stage_at = start if stage_id is not None else None
        if stage is not None and stage_id != stage.id:
            stage_id, stage_at = stage.id, at or now
            entries.append((stage.id, stage_at))
        self.deals.append(dict(
            key=key, name=draft.name, partner_id=partner_id, kind_id=kind.id,
            manager_id=manager_id, amount_minor=to_minor(draft.amount), agreement_id=None,
            notes=draft.notes or None, created_at=start, status=DealStatus.OPEN.value,
            stage_id=stage_id, stage_at=stage_at))
        self.entries.append(entries)
        summary = {"name": draft.name, "partner": draft.partner or "", "kind": draft.kind or "",
                   "manager": draft.manager or "", "amount": f"{draft.amount:.2f}",
                   "notes": draft.notes}
        self.record("deal", key, "insert", {k: (None, v) for k, v in summary.items() if v})
        return key

    def _write(self) -> None:
        ids = insert_returning_ids(self.conn, DEAL, self.deals)
        entries = [dict(deal_id=deal_id, seq=seq, stage_id=stage_id, at=at,
                        user_login=self.login)
                   for deal_id, stages in zip(ids, self.entries, strict=True)
                   for seq, (stage_id, at) in enumerate(stages, 1)]
        if entries:
            self.conn.execute(insert(STAGE_ENTRY), entries)
        self.deals, self.entries = [], []
