"""Where a record is still used, so that a delete is refused with a message instead of
failing on a foreign key (which, uncaught, ended the app).

`usages(session, entity, key)` lists the places that refer to a record; `RecordInUse` is
the refusal, its message naming them. A contact can be unlinked from what refers to it in
the same transaction as its delete (`unlink_contact`): deals lose it from their contact
persons and interactions lose their contact; both get a new version and an audit row, so
someone editing such a deal meanwhile gets the usual conflict instead of a silent loss."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Table, delete, func, select, update
from sqlmodel import Session, SQLModel

from crm_tui.domain.errors import NotFoundError, ValidationError
from crm_tui.i18n import N_, _
from crm_tui.store import audit

# (table, column, description shown to the user: translated where shown)
Use = tuple[str, str, str]

# Records a user can delete from the app, and what may refer to each (not the child rows
# that go with it by ON DELETE CASCADE).
USES: dict[str, tuple[Use, ...]] = {
    "contact": (
        ("deal_contact", "contact_id", N_("deals (contact persons)")),
        ("interaction", "contact_id", N_("interactions (contact)")),
    ),
}


@dataclass(frozen=True)
class Usage:
    """Where a record is used and how many times."""

    where: str  # translated description
    count: int


class RecordInUse(ValidationError):
    """A record that others refer to cannot be deleted; the message says where."""

    def __init__(self, message: str, used: Sequence[Usage] = ()) -> None:
        super().__init__(message)
        self.usages = tuple(used)


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def count_uses(session: Session, uses: Sequence[tuple[Table | str, str, str]],
               row_id: int) -> list[Usage]:
    """How many rows of each (table, column) refer to `row_id` (only the non-zero ones)."""
    found: list[Usage] = []
    for table, column, where in uses:
        table = _table(table) if isinstance(table, str) else table
        count = int(session.execute(select(func.count()).select_from(table).where(
            table.c[column] == row_id)).scalar_one())
        if count:
            found.append(Usage(_(where), count))
    return found


def places(used: Sequence[Usage]) -> str:
    """'deals (contact persons): 2, interactions (contact): 5'"""
    return ", ".join(f"{usage.where}: {usage.count}" for usage in used)


def _row_id(session: Session, entity: str, key: str) -> int:
    table = _table(entity)
    row_id = session.execute(select(table.c.id).where(table.c.key == key)).scalar()
    if row_id is None:
        raise NotFoundError(_("{key} does not exist").format(key=key))
    return int(row_id)


def usages(session: Session, entity: str, key: str) -> list[Usage]:
    """Where the record `key` of `entity` is used (empty when nothing refers to it)."""
    return count_uses(session, USES.get(entity, ()), _row_id(session, entity, key))


def check_unused(session: Session, entity: str, key: str, label: str) -> None:
    """Raise RecordInUse (naming where) when something refers to the record.

    `label` is how the message names the record, e.g. «Ivanov»."""
    used = usages(session, entity, key)
    if used:
        raise RecordInUse(
            _("{record} cannot be deleted: it is used in {places}").format(
                record=label, places=places(used)), used)


def unlink_contact(session: Session, contact_id: int, contact_key: str) -> None:
    """Remove the contact from every deal's contact persons and every interaction that
    names it (new versions, audited): run before its delete, in the same transaction."""
    deal, deal_contact, interaction = _table("deal"), _table("deal_contact"), _table("interaction")
    deals = session.execute(
        select(deal.c.id, deal.c.key).where(deal.c.id.in_(
            select(deal_contact.c.deal_id).where(deal_contact.c.contact_id == contact_id)))
        .order_by(deal.c.id)).all()
    session.execute(delete(deal_contact).where(deal_contact.c.contact_id == contact_id))
    for deal_id, deal_key in deals:
        session.execute(update(deal).where(deal.c.id == deal_id).values(
            version=deal.c.version + 1))
        audit.record(session, "deal", deal_key, "update", {"contacts": (f"-{contact_key}", None)})
    interactions = session.execute(
        select(interaction.c.id, interaction.c.key).where(interaction.c.contact_id == contact_id)
        .order_by(interaction.c.id)).all()
    if interactions:
        session.execute(update(interaction).where(interaction.c.contact_id == contact_id).values(
            contact_id=None, version=interaction.c.version + 1))
    for _id, interaction_key in interactions:
        audit.record(session, "interaction", interaction_key, "update",
                     {"contact": (contact_key, None)})
