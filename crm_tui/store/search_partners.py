"""Partner search and the paged partner list.

SQLite answers every keystroke from the FTS5 index `partner_search` (migration
0002_partners): the query is folded like the index (ё→е) and every token is quoted as an
FTS5 phrase with a prefix star, so any input — quotes, dashes, brackets — gives results or
none, never a syntax error. Other databases fall back to a case-insensitive LIKE (backed by
pg_trgm indexes on PostgreSQL).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from crm_tui.domain.enums import mask_to_roles
from crm_tui.domain.text import normalise_search

_WORD = re.compile(r"\w", re.UNICODE)
_PHONE_LIKE = re.compile(r"^[\d\s()+\-.]+$")
SORTS = ("name", "region", "manager")


@dataclass(frozen=True)
class PartnerHit:
    """One partner as search suggestions and the partner list show it."""

    key: str
    name: str
    inn: str
    region: str
    roles: tuple[str, ...]
    manager: str


@dataclass(frozen=True)
class PartnerFilter:
    """What the partner list shows: search text, filters by id (None: any), sort column."""

    text: str = ""
    region_id: int | None = None
    role_bit: int | None = None
    manager_id: int | None = None
    sort: str = "name"


def _phrase(token: str) -> str:
    return '"' + token.replace('"', '""') + '"*'


def match_query(text_: str) -> str | None:
    """The FTS5 MATCH expression for user input, or None when it has nothing searchable.

    Each whitespace-separated token becomes a quoted prefix phrase (ANDed). Input that
    looks like a phone number is collapsed to its digits; a leading Russian trunk 8 also
    matches the national number."""
    folded = normalise_search(text_).strip()
    if not folded:
        return None
    digits = re.sub(r"\D", "", folded)
    if _PHONE_LIKE.match(folded) and len(digits) >= 3:
        if digits.startswith("8") and len(digits) >= 4:
            return f"({_phrase(digits)} OR {_phrase(digits[1:])})"
        return _phrase(digits)
    tokens = [token for token in folded.split() if _WORD.search(token)]
    if not tokens:
        return None
    return " AND ".join(_phrase(token) for token in tokens)


def _like_pattern(text_: str) -> str:
    escaped = text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_SELECT = """
SELECT p.key, p.name, p.roles,
  coalesce((SELECT min(c.inn) FROM partner_counterparty pc JOIN counterparty c
            ON c.id = pc.counterparty_id WHERE pc.partner_id = p.id), '') AS inn,
  coalesce((SELECT r.name FROM classifier r WHERE r.id = p.region_id), '') AS region,
  coalesce((SELECT u.name FROM app_user u WHERE u.id = p.manager_id), '') AS manager
"""

_ORDER = {
    "name": "p.name, p.id",
    "region": "(SELECT r.name FROM classifier r WHERE r.id = p.region_id), p.name, p.id",
    "manager": "(SELECT u.name FROM app_user u WHERE u.id = p.manager_id), p.name, p.id",
}


def _where(session: Session, flt: PartnerFilter) -> tuple[str, str, dict[str, Any]] | None:
    """FROM clause, WHERE clause and parameters; None when the search can match nothing."""
    params: dict[str, Any] = {}
    conditions: list[str] = []
    source = "partner p"
    if flt.text.strip():
        dialect = session.get_bind().dialect.name
        if dialect == "sqlite":
            query = match_query(flt.text)
            if query is None:
                return None
            source = "partner_search s JOIN partner p ON p.id = s.rowid"
            conditions.append("partner_search MATCH :match")
            params["match"] = query
        else:
            params["like"] = _like_pattern(normalise_search(flt.text.strip()))
            conditions.append(
                "(lower(p.name) LIKE :like ESCAPE '\\' OR EXISTS (SELECT 1 FROM"
                " partner_counterparty pc JOIN counterparty c ON c.id = pc.counterparty_id"
                " WHERE pc.partner_id = p.id AND c.inn LIKE :like ESCAPE '\\')"
                " OR EXISTS (SELECT 1 FROM contact ct WHERE ct.partner_id = p.id AND"
                " (ct.phones LIKE :like ESCAPE '\\' OR lower(ct.emails) LIKE :like ESCAPE '\\')))"
            )
    if flt.region_id is not None:
        conditions.append("p.region_id = :region_id")
        params["region_id"] = flt.region_id
    if flt.manager_id is not None:
        conditions.append("p.manager_id = :manager_id")
        params["manager_id"] = flt.manager_id
    if flt.role_bit is not None:
        conditions.append("(p.roles & :role_bit) != 0")
        params["role_bit"] = flt.role_bit
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    return source, where, params


def _hit(row: Any) -> PartnerHit:
    return PartnerHit(key=row.key, name=row.name, inn=row.inn, region=row.region,
                      roles=tuple(mask_to_roles(row.roles)), manager=row.manager)


def count_partners(session: Session, flt: PartnerFilter) -> int:
    """How many partners the list shows for `flt`."""
    parts = _where(session, flt)
    if parts is None:
        return 0
    source, where, params = parts
    return int(session.execute(text(f"SELECT count(*) FROM {source}{where}"), params).scalar_one())


def list_statement(session: Session, flt: PartnerFilter) -> tuple[str, dict[str, Any]] | None:
    """The SQL and parameters of one page of the list (exposed for query-plan tests)."""
    parts = _where(session, flt)
    if parts is None:
        return None
    source, where, params = parts
    order = _ORDER.get(flt.sort, _ORDER["name"])
    return f"{_SELECT} FROM {source}{where} ORDER BY {order} LIMIT :limit OFFSET :offset", params


def fetch_partners(
    session: Session, flt: PartnerFilter, offset: int, limit: int
) -> list[PartnerHit]:
    """One page of the partner list."""
    statement = list_statement(session, flt)
    if statement is None:
        return []
    sql, params = statement
    rows = session.execute(text(sql), {**params, "limit": limit, "offset": offset})
    return [_hit(row) for row in rows]


def search_partners(session: Session, text_: str, limit: int = 10) -> list[PartnerHit]:
    """Partners matching `text_` by name, INN, phone or e-mail, best matches first.

    Empty input gives the first partners by name. Never raises on odd input."""
    if not text_.strip():
        return fetch_partners(session, PartnerFilter(), 0, limit)
    if session.get_bind().dialect.name != "sqlite":
        return fetch_partners(session, PartnerFilter(text=text_), 0, limit)
    query = match_query(text_)
    if query is None:
        return []
    # Rank inside the index first (bounded), then read the partner rows of the winners.
    sql = (
        f"{_SELECT} FROM (SELECT rowid AS id, rank FROM partner_search WHERE partner_search"
        f" MATCH :match ORDER BY rank LIMIT :limit) s JOIN partner p ON p.id = s.id"
        f" ORDER BY s.rank, p.name"
    )
    rows = session.execute(text(sql), {"match": query, "limit": limit})
    return [_hit(row) for row in rows]
