"""Which record a key names: the command palette's "open by key" (reads only)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, SQLModel

import crm_tui.store.models  # noqa: F401  (the tables below)

# kind (a table) -> its column that titles a record
TITLES = {"partner": "name", "deal": "name", "claim": "description",
          "interaction": "topic", "agreement": "name"}


@dataclass(frozen=True)
class FoundRecord:
    """A record whose key was typed: its kind (as in screens/navigation.py), key and title."""

    kind: str
    key: str
    title: str


def records_by_key(session: Session, text: str) -> list[FoundRecord]:
    """The records whose key is `text` (as typed, or upper-cased: "d-000123" finds D-000123).

    Keys are unique per kind only, so an imported partner key may also name a deal."""
    wanted = {text.strip(), text.strip().upper()} - {""}
    if not wanted:
        return []
    found: list[FoundRecord] = []
    for kind, title in TITLES.items():
        table = SQLModel.metadata.tables[kind]
        rows = session.execute(
            select(table.c.key, table.c[title]).where(table.c.key.in_(wanted))).all()
        found.extend(FoundRecord(kind, str(key), str(name or "")) for key, name in rows)
    return found
