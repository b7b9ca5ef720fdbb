"""Partner search and the paged partner list.

SQLite answers every keystroke from the FTS5 index `partner_search` (migration
0002_partners): the query is folded like the index (ё→е) and every token is quoted as an
FTS5 phrase with a prefix star, so any input — quotes, dashes, brackets — gives results or
none, never a syntax error. PostgreSQL filters partners by a union of index-backed id
lookups (`search_partners_pg`, pg_trgm indexes of migration 0004).

A page of a text search in name order is read one of three ways, chosen by the share of
partners matching, sampled on the first SAMPLE partners by id (`_name_order_parts`):
- few match: the matches are sorted by name (cheap for a few hundred);
- many match (say "р", 9% of 100k): the name index is walked, each partner looked up in
  the set of matches, until the page is full (3 ms instead of 7 ms sorting 9,000);
- most match ("а", 91%): the name index is walked and each partner tested against the
  search, with no set built (3 ms instead of 16 ms).

Counting is cheap: without filters the count reads the FTS index alone (no join), and the list
may ask for a capped count (`cap`) first. Pages in name order can be read by keyset
(`fetch_after`: the rows after a known (name, id)) or from the end (`fetch_from_end`), so
jumping to the end or paging down deep in 100k partners never walks an OFFSET from the top.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, Result
from sqlmodel import Session

from crm_tui.domain.enums import mask_to_roles
from crm_tui.domain.text import normalise_search
from crm_tui.store.search_partners_pg import matching_ids

_WORD = re.compile(r"\w", re.UNICODE)
_PHONE_LIKE = re.compile(r"^[\d\s()+\-.]+$")
SORTS = ("name", "region", "manager")
# Writes of at least this many partners, contacts and legal entities end by merging the
# search index into one segment (see merge_search_index).
BULK_WRITES = 1000
SAMPLE = 1000  # partners sampled to tell what share of them a search matches
MANY = 0.03  # from this share on, walking the name index beats sorting the matches
DENSE = 0.35  # from this share on, testing each partner beats building the set of matches


@dataclass(frozen=True)
class PartnerHit:
    """One partner as search suggestions and the partner list show it."""

    key: str
    name: str
    inn: str
    region: str
    roles: tuple[str, ...]
    manager: str
    row_id: int = 0


@dataclass(frozen=True)
class PartnerFilter:
    """What the partner list shows: search text, filters by id (None: any), sort column."""

    text: str = ""
    region_id: int | None = None
    role_bit: int | None = None
    manager_id: int | None = None
    sort: str = "name"


def _run(session: Session, sql: str, params: dict[str, Any]) -> Result[Any]:
    """Run one of the search's statements. On SQLite the SQL goes to the driver as it is
    (named parameters are the same there): a third of a millisecond less per keystroke than
    compiling it as a text() clause, and the engine's events still see it."""
    if session.get_bind().dialect.name == "sqlite":
        return session.connection().exec_driver_sql(sql, params)
    return session.execute(text(sql), params)


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
SELECT p.id, p.key, p.name, p.roles,
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
            found = matching_ids(flt.text)
            if found is None:
                return None
            ids, id_params = found
            conditions.append(f"p.id IN ({ids})")
            params.update(id_params)
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


def name_order_share(session: Session, flt: PartnerFilter, counted: int | None = None) -> float:
    """The share of partners a text search in name order matches; 0 when the page is read by
    sorting anyway (other filters or sorts, PostgreSQL, fewer than SAMPLE partners).

    `counted` is the exact number of matches when known: the share is then that over the
    highest partner id (no deletions: the number of partners), with no sample read."""
    if not flt.text.strip() or flt.sort != "name" or _filtered(flt) \
            or session.get_bind().dialect.name != "sqlite":
        return 0.0
    if counted is not None:
        top = int(_run(session, "SELECT max(id) FROM partner", {}).scalar() or 0)
        return counted / top if top >= SAMPLE else 0.0
    query = match_query(flt.text)
    if query is None:
        return 0.0
    # With fewer than SAMPLE partners the bound is NULL and nothing is counted.
    hits = _run(session,
                "SELECT count(*) FROM partner_search WHERE partner_search MATCH :match AND"
                " rowid <= (SELECT id FROM partner ORDER BY id LIMIT 1 OFFSET :n)",
                {"match": query, "n": SAMPLE - 1}).scalar()
    return int(hits or 0) / SAMPLE


# Walking the name index: every partner in name order, looked up in the set of matches or
# (when most match) tested against the search.
_WALK_SOURCE = "partner p INDEXED BY ix_partner_name"
_IN_MATCHES = " WHERE p.id IN (SELECT rowid FROM partner_search WHERE partner_search MATCH :match)"
_MATCHES_ONE = (" WHERE EXISTS (SELECT 1 FROM partner_search WHERE partner_search MATCH :match"
                " AND partner_search.rowid = p.id)")


def _name_order_parts(session: Session, flt: PartnerFilter, share: float | None
                      ) -> tuple[str, str, dict[str, Any]] | None:
    """_where for pages in name order, walking the name index when many partners match
    (`share`: name_order_share, sampled when None)."""
    parts = _where(session, flt)
    if parts is None:
        return None
    if share is None:
        share = name_order_share(session, flt)
    if share >= DENSE:
        return _WALK_SOURCE, _MATCHES_ONE, parts[2]
    if share >= MANY:
        return _WALK_SOURCE, _IN_MATCHES, parts[2]
    return parts


def _page(source: str, where: str, order: str, tail: str) -> str:
    """One page: the ids are chosen, ordered and limited first, and the shown columns (each
    a lookup) computed for the page's rows only, not for every match."""
    return (f"{_SELECT} FROM (SELECT p.id FROM {source}{where} ORDER BY {order} {tail}) w"
            f" JOIN partner p ON p.id = w.id ORDER BY {order}")


@lru_cache(maxsize=64)
def _roles(mask: int) -> tuple[str, ...]:
    return tuple(mask_to_roles(mask))


def _hit(row: Any) -> PartnerHit:
    # By position (the order of _SELECT): faster than by name for every row of every page.
    row_id, key, name, roles, inn, region, manager = row
    return PartnerHit(key=key, name=name, inn=inn, region=region, roles=_roles(roles),
                      manager=manager, row_id=int(row_id))


def _filtered(flt: PartnerFilter) -> bool:
    return flt.region_id is not None or flt.manager_id is not None or flt.role_bit is not None


def count_statement(session: Session, flt: PartnerFilter,
                    cap: int | None = None) -> tuple[str, dict[str, Any]] | None:
    """The SQL counting the list's rows (at most `cap` of them when given); None: none match.

    A text search without filters counts inside the FTS index, without joining partners."""
    parts = _where(session, flt)
    if parts is None:
        return None
    source, where, params = parts
    if session.get_bind().dialect.name == "sqlite" and flt.text.strip() and not _filtered(flt):
        source, where = "partner_search", " WHERE partner_search MATCH :match"
    if cap is None:
        return f"SELECT count(*) FROM {source}{where}", params
    return (f"SELECT count(*) FROM (SELECT 1 FROM {source}{where} LIMIT :cap) capped",
            {**params, "cap": cap})


def count_partners(session: Session, flt: PartnerFilter, cap: int | None = None) -> int:
    """How many partners the list shows for `flt` (never more than `cap` when given)."""
    statement = count_statement(session, flt, cap)
    if statement is None:
        return 0
    sql, params = statement
    return int(_run(session, sql, params).scalar_one())


def list_statement(session: Session, flt: PartnerFilter, share: float | None = None
                   ) -> tuple[str, dict[str, Any]] | None:
    """The SQL and parameters of one page of the list (exposed for query-plan tests)."""
    parts = _name_order_parts(session, flt, share)
    if parts is None:
        return None
    source, where, params = parts
    order = _ORDER.get(flt.sort, _ORDER["name"])
    return _page(source, where, order, "LIMIT :limit OFFSET :offset"), params


def fetch_partners(session: Session, flt: PartnerFilter, offset: int, limit: int,
                   share: float | None = None) -> list[PartnerHit]:
    """One page of the partner list (`share`: name_order_share when already known)."""
    statement = list_statement(session, flt, share)
    if statement is None:
        return []
    sql, params = statement
    rows = _run(session, sql, {**params, "limit": limit, "offset": offset})
    return [_hit(row) for row in rows.all()]


def keyset_statement(session: Session, flt: PartnerFilter, backwards: bool = False,
                     share: float | None = None) -> tuple[str, dict[str, Any]] | None:
    """SQL of a page in name order after (`:after_name`, `:after_id`) — or, `backwards`, the
    page counted from the end (`:offset` rows before the last one), newest-last reversed."""
    parts = _name_order_parts(session, flt, share)
    if parts is None:
        return None
    source, where, params = parts
    if backwards:
        return _page(source, where, "p.name DESC, p.id DESC", "LIMIT :limit OFFSET :offset"), \
            params
    after = "p.name >= :after_name AND (p.name > :after_name OR p.id > :after_id)"
    where = f"{where} AND {after}" if where else f" WHERE {after}"
    return _page(source, where, "p.name, p.id", "LIMIT :limit"), params


def fetch_after(session: Session, flt: PartnerFilter, after: tuple[str, int],
                limit: int, share: float | None = None) -> list[PartnerHit]:
    """The next `limit` partners in name order after the row (name, id) = `after`."""
    statement = keyset_statement(session, flt, share=share)
    if statement is None:
        return []
    sql, params = statement
    rows = _run(session, sql, {**params, "after_name": after[0],
                                       "after_id": after[1], "limit": limit})
    return [_hit(row) for row in rows.all()]


def fetch_from_end(session: Session, flt: PartnerFilter, offset: int, limit: int,
                   total: int, share: float | None = None) -> list[PartnerHit]:
    """Rows `offset`..`offset+limit` of `total` in name order, read backwards from the end
    (cheap near the end of a long list)."""
    statement = keyset_statement(session, flt, backwards=True, share=share)
    if statement is None:
        return []
    end = min(offset + limit, total)
    if end <= offset:
        return []
    sql, params = statement
    rows = _run(session, sql, {**params, "limit": end - offset, "offset": total - end})
    return [_hit(row) for row in reversed(rows.all())]


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
    rows = _run(session, sql, {"match": query, "limit": limit})
    return [_hit(row) for row in rows.all()]


def merge_search_index(connection: Connection) -> None:
    """Merge SQLite's search index into one segment (no-op on PostgreSQL).

    Every write transaction adds a segment to the FTS5 index and merges only some of them;
    a search reads each segment, and the name-order walk probes each one per partner, so
    after a bulk load of 100k partners (twelve segments) a page read 2-3x slower than from
    one. About 1.5 s for 100k partners: run after imports and by `crm db optimize`."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(
            "INSERT INTO partner_search(partner_search) VALUES ('optimize')")
