"""What a chunk of spreadsheet rows will look up (the partners of their keys, INNs and names,
legal entities, the partners' contacts and deals), read before the chunk with one query
each: 100 000 rows asked a few queries each cost more than writing them.

The answers hold as long as nothing written since could change them: a row created marks
what it could change (`dirty`: its INN, name, partner's contacts…), an update through the
ORM makes them all `stale`; `table_rows` then asks the database, as it always did."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from crm_tui.domain.errors import DomainError
from crm_tui.domain.table_values import fix_inn


@dataclass
class Ahead:
    keys: set[str]  # partner keys asked that exist
    by_inn: dict[str, list[tuple[str | None, Any]]]  # INN -> (KPP, bulk_table.PartnerRow)
    by_name: dict[str, list[tuple[Any, tuple[str, ...]]]]  # name -> (PartnerRow, phones)
    counterparties: dict[str, list[tuple[str, str | None]]]  # INN -> (key, KPP)
    contacts: dict[int, list[Any]]  # partner id -> bulk_table.ContactRow
    deals: dict[tuple[int, str], list[str]]  # (partner id, name) -> keys
    asked: set[str]  # "key:…", "inn:…", "name:…", "contacts:ID", "deals:ID", "deal-name:…"
    dirty: set[str] = field(default_factory=set)
    stale: bool = False

    def answers(self, asked: Iterable[str], changed: Iterable[str] = ()) -> bool:
        """Whether `asked` were read, and neither they nor `changed` were written since."""
        asked = list(asked)
        return not self.stale and all(a in self.asked for a in asked) and not any(
            a in self.dirty for a in [*asked, *changed])

    def partners_named(self, name: str) -> list[Any]:
        """The partners of that name, by key (each once)."""
        return list({p.key: p for p, _phones in self.by_name.get(name, [])}.values())

    def partners_of_inn(self, inn: str) -> list[Any]:
        return list({p.key: p for _kpp, p in self.by_inn.get(inn, [])}.values())


def _inn(value: str) -> str | None:
    try:
        return fix_inn(value)[0]
    except DomainError:
        return None


def read_ahead(session: Any, target: str, chunk: list[dict[str, str]]) -> Ahead:
    """The lookups of the rows `chunk` (their values by field) of a `target` import."""
    from crm_tui.store import bulk_table as reads

    conn = session.connection()
    inns = {i for i in (_inn(v["inn"]) for v in chunk if v.get("inn")) if i}
    names = {v.get("name" if target == "partners" else "partner", "") for v in chunk} - {""}
    keys = {v["key"] for v in chunk if v.get("key")} if target == "partners" else set()
    by_inn = reads.partners_by_inn(conn, inns) if inns else {}
    by_name = reads.partners_by_name(conn, names) if names else {}
    asked = {f"inn:{i}" for i in inns} | {f"name:{n}" for n in names} | {
        f"key:{k}" for k in keys}
    ahead = Ahead(reads.partner_keys(conn, keys) if keys else set(), by_inn, by_name,
                  reads.counterparties_by_inn(conn, inns) if inns and target == "partners"
                  else {}, {}, {}, asked)
    if target == "partners":
        return ahead
    ids = {p.id for rows in by_inn.values() for _kpp, p in rows} | {
        p.id for rows in by_name.values() for p, _phones in rows}
    if target == "contacts" and ids:
        ahead.contacts = reads.contacts_of(conn, ids)
        asked.update(f"contacts:{i}" for i in ids)
    if target == "deals" and ids:
        deal_names = {v.get("name", "") for v in chunk} - {""}
        ahead.deals = reads.deals_of(conn, ids, deal_names) if deal_names else {}
        asked.update(f"deals:{i}" for i in ids)
        asked.update(f"deal-name:{n}" for n in deal_names)
    return ahead
