"""Names for the ids and keys the change history stores (a manager's id, a reason's id, a
partner's key…), so the history screen shows "Иванов", not "manager_id 6"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Table, select
from sqlmodel import Session

from crm_tui.store.audit import HistoryEntry
from crm_tui.store.models import (
    Agreement,
    Claim,
    Classifier,
    Contact,
    Deal,
    DealKind,
    Interaction,
    Partner,
    User,
)


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined, no-any-return]


@dataclass(frozen=True)
class _Lookup:
    """Where a stored value's name is: the table, and the column the value is stored as."""

    table: Table
    by: str  # "id", "key", "code" or "login"
    name: str = "name"


_BY_ID = {
    "partner_id": _Lookup(_table(Partner), "id"),
    "manager_id": _Lookup(_table(User), "id"),
    "assignee_id": _Lookup(_table(User), "id"),
    "contact_id": _Lookup(_table(Contact), "id"),
    "reason_id": _Lookup(_table(Classifier), "id"),
    "loss_reason_id": _Lookup(_table(Classifier), "id"),
    "stage_id": _Lookup(_table(Classifier), "id"),
    "region_id": _Lookup(_table(Classifier), "id"),
    "price_type_id": _Lookup(_table(Classifier), "id"),
    "role_id": _Lookup(_table(Classifier), "id"),
    "kind_id": _Lookup(_table(DealKind), "id"),
    "agreement_id": _Lookup(_table(Agreement), "id"),
    "based_on_id": _Lookup(_table(Agreement), "id"),
}
# Fields stored as the record's key or code (the deal form, agreements, interactions).
_BY_KEY = {
    "partner": _Lookup(_table(Partner), "key"),
    "contact": _Lookup(_table(Contact), "key"),
    "agreement": _Lookup(_table(Agreement), "key"),
    "based_on": _Lookup(_table(Agreement), "key"),
}
_SUBJECTS = {
    "deal": _Lookup(_table(Deal), "key"),
    "claim": _Lookup(_table(Claim), "key", "description"),
    "interaction": _Lookup(_table(Interaction), "key", "topic"),
}


def _lookup(entity: str, field: str, value: str) -> _Lookup | None:
    if field in _BY_ID:
        return _BY_ID[field] if value.isdigit() else None
    if field == "manager":  # a login in the deal form, the user's id in interactions
        return _Lookup(_table(User), "id" if value.isdigit() else "login")
    if field == "kind" and entity == "deal":
        return _Lookup(_table(DealKind), "code")
    if field == "price_type":
        return _Lookup(_table(Classifier), "code")
    return _BY_KEY.get(field)


def _subject(value: str) -> tuple[str, str] | None:
    """("deal", "D-000001") from "deal:D-000001" or "deal D-000001"."""
    for separator in (":", " "):
        kind, found, key = value.partition(separator)
        if found and kind in _SUBJECTS and key:
            return kind, key
    return None


def _name(session: Session, lookup: _Lookup, value: str) -> str | None:
    column = lookup.table.c[lookup.by]
    wanted: object = int(value) if lookup.by == "id" else value
    statement = select(lookup.table.c[lookup.name]).where(column == wanted)
    if lookup.table is _table(Classifier) and lookup.by == "code":
        statement = statement.where(lookup.table.c.kind == "price_type")
    found = session.execute(statement.limit(1)).scalar()
    return None if found is None else str(found)


def value_names(session: Session, entity: str,
                entries: Iterable[HistoryEntry]) -> dict[tuple[str, str], str]:
    """{(field, stored value): name} for every stored id or key the entries name.

    A subject ("deal:D-000001") maps to "deal\\tD-000001\\tits name"; the screen words it.
    Values whose record is gone keep no name (the screen shows them as stored)."""
    names: dict[tuple[str, str], str] = {}
    for entry in entries:
        if entry.field is None:
            continue
        for value in (entry.old, entry.new):
            if not value or (entry.field, value) in names:
                continue
            if entry.field == "subject":
                subject = _subject(value)
                if subject is not None:
                    kind, key = subject
                    found = _name(session, _SUBJECTS[kind], key)
                    names[(entry.field, value)] = f"{kind}\t{key}\t{found or ''}"
                continue
            lookup = _lookup(entity, entry.field, value)
            if lookup is None:
                continue
            found = _name(session, lookup, value)
            if found is not None:
                names[(entry.field, value)] = found
    return names
