"""Keys for records created in the app: a prefix and a zero-padded number (D-000042)."""

from __future__ import annotations

from sqlalchemy import Table, func, select
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


def continue_after_taken(session: Session, entity: str) -> None:
    """Make `entity`'s next key follow the highest one of the app's form already stored
    (after loading records that carry such keys: next_key would otherwise try each taken
    number in turn)."""
    table: Table = SQLModel.metadata.tables[entity]
    prefix = PREFIXES[entity]
    # The longest, then the greatest: numbers past 999999 have more digits.
    last = session.execute(
        select(table.c.key).where(table.c.key.like(f"{prefix}%"))
        .order_by(func.length(table.c.key).desc(), table.c.key.desc()).limit(1)).scalar()
    number = last[len(prefix):] if last else ""
    if not number.isdigit():
        return
    sequence = session.get(KeySequence, entity) or KeySequence(entity=entity, next_value=1)
    sequence.next_value = max(sequence.next_value, int(number) + 1)
    session.add(sequence)
