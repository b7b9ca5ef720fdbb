"""Partner search and the paged partner list.

SQLite answers every keystroke from the FTS5 index `partner_search` (migration
0002_partners): the query is folded like the index (ё→е) and every token is quoted as an
FTS5 phrase with a prefix star, so any input — quotes, dashes, brackets — gives results or
none, never a syntax error. PostgreSQL tests each partner's search document
(`search_partners_pg`, the pg_trgm-indexed `partner.search_doc` of migration 0019), so a
page in name order stops at its last row.

The index's rowids are the partners' labels, in name order (`search_index`, migration
0010): a page of a text search in name order is the index's first matches from a label on
(a tenth of a millisecond to find them, whether 10 or 91,000 of 100k partners match),
merged with the few unlabelled matches sorted by name. Other sorts and filters sort the
matches.

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
from sqlmodel import Session

from crm_tui.domain.enums import mask_to_roles
from crm_tui.domain.text import normalise_search
from crm_tui.store.search_index import UNLABELLED
from crm_tui.store.search_partners_pg import matching_condition

_WORD = re.compile(r"\w", re.UNICODE)
_PHONE_LIKE = re.compile(r"^[\d\s()+\-.]+$")
SORTS = ("name", "region", "manager")
# The mark of the index's words made of an INN's suffixes and a phone's last seven digits
# (migration 0014_keys), looked up only when the search is digits alone.
DIGITS_MARK = "zq"


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


def _run(session: Session, sql: str, params: dict[str, Any]) -> list[Any]:
    """The rows of one of the search's statements, in the session's transaction.

    On SQLite the SQL goes to the driver's own cursor as it is (named parameters are the
    same there): SQLAlchemy's execution and result objects cost a keystroke's two statements
    more than their SQL in the machine's slow phases (docs/benchmarks.md). Engine events do
    not see these statements; tests and the benchmark read them from list_statement() and
    count_statement()."""
    if session.get_bind().dialect.name == "sqlite":
        driver = session.connection().connection.driver_connection  # the transaction's
        return driver.execute(sql, params).fetchall()  # type: ignore[union-attr]
    return list(session.execute(text(sql), params).all())


def _phrase(token: str) -> str:
    return '"' + token.replace('"', '""') + '"*'


def match_query(text_: str) -> str | None:
    """The FTS5 MATCH expression for user input, or None when it has nothing searchable.

    Each whitespace-separated token becomes a quoted prefix phrase (ANDed). Input that
    looks like a phone number is collapsed to its digits; a leading Russian trunk 8 also
    matches the national number; such digits also match inside an INN and a phone's last
    seven digits."""
    folded = normalise_search(text_).strip()
    if not folded:
        return None
    digits = re.sub(r"\D", "", folded)
    if _PHONE_LIKE.match(folded) and len(digits) >= 3:
        # Also digits from inside an INN and a phone's last seven (marked words, 0013).
        inside = _phrase(DIGITS_MARK + digits)
        if digits.startswith("8") and len(digits) >= 4:
            return f"({_phrase(digits)} OR {_phrase(digits[1:])} OR {inside})"
        return f"({_phrase(digits)} OR {inside})"
    tokens = [token for token in folded.split() if _WORD.search(token)]
    if not tokens:
        return None
    return " AND ".join(_phrase(token) for token in tokens)


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
            source = ("partner_search s JOIN partner_label l ON l.label = s.rowid"
                      " JOIN partner p ON p.id = l.partner_id")
            conditions.append("partner_search MATCH :match")
            params["match"] = query
        else:
            found = matching_condition(flt.text)
            if found is None:
                return None
            condition, text_params = found
            conditions.append(condition)
            params.update(text_params)
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


# A text search's matches in name order (SQLite, sorted by name, no other filter): the first
# (:limit + :offset) labelled matches from the index in label order — after the anchor's
# label for a keyset page, from the end backwards — and every unlabelled match. The page is
# then sorted (a few rows) and cut by the caller's ORDER BY and LIMIT.
_LABELLED = (f"SELECT l.partner_id AS id FROM (SELECT rowid AS label FROM partner_search"
             f" WHERE partner_search MATCH :match AND rowid < {UNLABELLED}{{after}}"
             f" ORDER BY rowid{{direction}} LIMIT :limit + :offset) f"
             f" CROSS JOIN partner_label l ON l.label = f.label")
_UNLABELLED = (f"SELECT l.partner_id FROM partner_search u CROSS JOIN partner_label l"
               f" ON l.label = u.rowid WHERE partner_search MATCH :match"
               f" AND u.rowid >= {UNLABELLED}")
# The label of the nearest labelled partner at or before the anchor (:after_name, :after_id).
_ANCHOR = (f" AND rowid > coalesce((SELECT al.label FROM partner ap CROSS JOIN partner_label al"
           f" ON al.partner_id = ap.id WHERE ap.name <= :after_name AND (ap.name < :after_name"
           f" OR ap.id <= :after_id) AND al.label < {UNLABELLED}"
           f" ORDER BY ap.name DESC, ap.id DESC LIMIT 1), 0)")


def _labelled_order(session: Session, flt: PartnerFilter) -> bool:
    """Whether the pages of `flt` come from the index in label order."""
    return bool(flt.text.strip()) and flt.sort == "name" and not _filtered(flt) \
        and session.get_bind().dialect.name == "sqlite"


def _matches_in_order(params: dict[str, Any], backwards: bool = False, after: bool = False
                      ) -> tuple[str, str, dict[str, Any]]:
    """_where's (FROM, WHERE, parameters) for the matches read in label order."""
    ordered = _LABELLED.format(after=_ANCHOR if after else "",
                               direction=" DESC" if backwards else "")
    return f"({ordered} UNION ALL {_UNLABELLED}) m JOIN partner p ON p.id = m.id", "", params


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
    return int(_run(session, sql, params)[0][0])


def list_statement(session: Session, flt: PartnerFilter) -> tuple[str, dict[str, Any]] | None:
    """The SQL and parameters of one page of the list (exposed for query-plan tests)."""
    parts = _where(session, flt)
    if parts is None:
        return None
    if _labelled_order(session, flt):
        parts = _matches_in_order(parts[2])
    source, where, params = parts
    order = _ORDER.get(flt.sort, _ORDER["name"])
    return _page(source, where, order, "LIMIT :limit OFFSET :offset"), params


def fetch_partners(session: Session, flt: PartnerFilter, offset: int, limit: int
                   ) -> list[PartnerHit]:
    """One page of the partner list."""
    statement = list_statement(session, flt)
    if statement is None:
        return []
    sql, params = statement
    rows = _run(session, sql, {**params, "limit": limit, "offset": offset})
    return [_hit(row) for row in rows]


def keyset_statement(session: Session, flt: PartnerFilter, backwards: bool = False
                     ) -> tuple[str, dict[str, Any]] | None:
    """SQL of a page in name order after (`:after_name`, `:after_id`) — or, `backwards`, the
    page counted from the end (`:offset` rows before the last one), newest-last reversed."""
    parts = _where(session, flt)
    if parts is None:
        return None
    if _labelled_order(session, flt):
        parts = _matches_in_order(parts[2], backwards=backwards, after=not backwards)
    source, where, params = parts
    if backwards:
        return _page(source, where, "p.name DESC, p.id DESC", "LIMIT :limit OFFSET :offset"), \
            params
    after = "p.name >= :after_name AND (p.name > :after_name OR p.id > :after_id)"
    where = f"{where} AND {after}" if where else f" WHERE {after}"
    return _page(source, where, "p.name, p.id", "LIMIT :limit"), params


def fetch_after(session: Session, flt: PartnerFilter, after: tuple[str, int],
                limit: int) -> list[PartnerHit]:
    """The next `limit` partners in name order after the row (name, id) = `after`."""
    statement = keyset_statement(session, flt)
    if statement is None:
        return []
    sql, params = statement
    rows = _run(session, sql, {**params, "after_name": after[0], "after_id": after[1],
                               "limit": limit, "offset": 0})
    return [_hit(row) for row in rows]


def fetch_from_end(session: Session, flt: PartnerFilter, offset: int, limit: int,
                   total: int) -> list[PartnerHit]:
    """Rows `offset`..`offset+limit` of `total` in name order, read backwards from the end
    (cheap near the end of a long list)."""
    statement = keyset_statement(session, flt, backwards=True)
    if statement is None:
        return []
    end = min(offset + limit, total)
    if end <= offset:
        return []
    sql, params = statement
    rows = _run(session, sql, {**params, "limit": end - offset, "offset": total - end})
    return [_hit(row) for row in reversed(rows)]


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
        f"{_SELECT} FROM (SELECT rowid AS label, rank FROM partner_search WHERE partner_search"
        f" MATCH :match ORDER BY rank LIMIT :limit) s JOIN partner_label l ON l.label = s.label"
        f" JOIN partner p ON p.id = l.partner_id ORDER BY s.rank, p.name"
    )
    rows = _run(session, sql, {"match": query, "limit": limit})
    return [_hit(row) for row in rows]

