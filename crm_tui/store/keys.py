"""Keys for records created in the app: a prefix and a zero-padded number (D-000042)."""

from __future__ import annotations

from sqlalchemy import Table, select
from sqlmodel import Session, SQLModel

from crm_tui.store.models import KeySequence

PREFIXES: dict[str, str] = {
    "partner": "P-",
    "counterparty": "C-",
    "contact": "K-",
    "agreement": "A-",
    "deal": "D-",
    "claim": "CL-",
    "interaction": "I-",
}


def next_key(session: Session, entity: str) -> str:
    """A new unused key for `entity` (call inside the write transaction that inserts it)."""
    table: Table = SQLModel.metadata.tables[entity]
    sequence = session.get(KeySequence, entity)
    if sequence is None:
        sequence = KeySequence(entity=entity, next_value=1)
        session.add(sequence)
    while True:
        key = f"{PREFIXES[entity]}{sequence.next_value:06d}"
        sequence.next_value += 1
        taken = session.execute(select(table.c.id).where(table.c.key == key)).first()
        if taken is None:
            session.add(sequence)
            return key
