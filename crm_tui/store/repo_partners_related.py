"""A partner's deals, interactions, claims and agreements: the card's paged related lists.

Rows carry the stored values; the card formats them (screens/partners/card_lists.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session


@dataclass(frozen=True)
class RelatedRecord:
    """One deal, interaction, claim or agreement of a partner: its key and its other
    columns as (name, stored value) pairs, in RELATED's column order."""

    key: str
    values: tuple[tuple[str, object], ...]


RELATED: dict[str, tuple[str, str, str]] = {
    # kind: (table, columns, order) — every table has an index on partner_id.
    "deal": ("deal", "key, name, status, created_at, amount_minor", "created_at DESC, id DESC"),
    "interaction": ("interaction", "key, at, kind, topic, status", "at DESC, id DESC"),
    "claim": ("claim", "key, registered_at, status, description", "registered_at DESC, id DESC"),
    "agreement": ("agreement", "key, name, kind, status, valid_from", "id DESC"),
}


def related_count(session: Session, kind: str, partner_key: str) -> int:
    """How many records of `kind` the partner has."""
    table = RELATED[kind][0]
    return int(session.execute(
        text(f"SELECT count(*) FROM {table} WHERE partner_id = "
             "(SELECT id FROM partner WHERE key = :key)"), {"key": partner_key}).scalar_one())


def related_page(session: Session, kind: str, partner_key: str, offset: int,
                 limit: int) -> list[RelatedRecord]:
    """One page of the partner's records of `kind`, newest first."""
    table, columns, order = RELATED[kind]
    rows = session.execute(
        text(f"SELECT {columns} FROM {table} WHERE partner_id = "
             f"(SELECT id FROM partner WHERE key = :key) ORDER BY {order} "
             "LIMIT :limit OFFSET :offset"),
        {"key": partner_key, "limit": limit, "offset": offset})
    return [RelatedRecord(str(row.key), tuple((name, value) for name, value
                                               in row._mapping.items() if name != "key"))
            for row in rows]
