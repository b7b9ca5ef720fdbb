"""Partner search on PostgreSQL (store/search_partners.py + search_partners_pg.py, owned by
the partners area): the same answers as SQLite's FTS5 index, and every lookup index-backed
(the pg_trgm indexes of migration 0004 on the very expressions the query compares)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database
from crm_tui.store.search_partners import (
    PartnerFilter,
    count_partners,
    list_statement,
    search_partners,
)

PARTNERS = 3000


def inn10(number: int) -> str:
    """A valid 10-digit INN built from `number` (the check digit computed)."""
    digits = f"77{number:07d}"
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    check = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10
    return digits + str(check)


@pytest.fixture
def many(pg_db: Database) -> Database:
    lines = []
    for i in range(PARTNERS):
        name = f"Ёлка {i}" if i % 500 == 0 else f"Компания {i}"
        lines.append(json.dumps({"type": "partner", "id": f"P{i}", "name": name,
                                 "roles": ["client"]}))
        lines.append(json.dumps({"type": "contact", "id": f"K{i}", "partner": f"P{i}",
                                 "name": f"Контакт {i}", "emails": [f"c{i}@example.ru"],
                                 "phones": [f"+7916{i:07d}"]}))
        if i % 3 == 0:
            lines.append(json.dumps({"type": "counterparty", "id": f"C{i}", "partners": [f"P{i}"],
                                     "inn": inn10(i), "short_name": f"ООО Компания {i}",
                                     "full_name": f"Общество Компания {i}",
                                     "phone": f"+7495{i:07d}"}))
    import_lines(pg_db, lines)
    with pg_db.engine.begin() as connection:
        # Unlinked legal entities in bulk, so the planner sees a big counterparty table.
        connection.execute(text(
            "INSERT INTO counterparty(key, inn, short_name, full_name, version)"
            " SELECT 'X' || n, lpad(n::text, 10, '0'), 'Фирма ' || n, 'Фирма ' || n, 1"
            " FROM generate_series(1, 30000) AS n"))
        connection.execute(text("ANALYZE"))
    return pg_db


def test_search_finds_by_name_and_email(many: Database) -> None:
    with many.read() as session:
        assert [hit.name for hit in search_partners(session, "компания 12", 3)] == [
            "Компания 12", "Компания 120", "Компания 1200"]
        assert [hit.name for hit in search_partners(session, "c1234@", 3)] == ["Компания 1234"]
        assert count_partners(session, PartnerFilter(text="[/]%_'\"")) == 0


def test_search_folds_yo(many: Database) -> None:
    with many.read() as session:
        assert count_partners(session, PartnerFilter(text="елка")) == PARTNERS // 500
        assert count_partners(session, PartnerFilter(text="ЁЛКА")) == PARTNERS // 500
        assert count_partners(session, PartnerFilter(text="елка", ), cap=3) == 3


def _plan(database: Database, search: str) -> str:
    with database.read() as session:
        statement = list_statement(session, PartnerFilter(text=search))
    assert statement is not None
    sql, params = statement
    with database.engine.connect() as connection:
        connection.exec_driver_sql("SET enable_seqscan = off")
        return "\n".join(connection.execute(
            text("EXPLAIN " + sql), {**params, "limit": 50, "offset": 0}).scalars())


@pytest.mark.parametrize("search", ["компания 12", "к", "c1234@", "916 123", "8 916 123"])
def test_search_is_index_backed(many: Database, search: str) -> None:
    plan = _plan(many, search)
    assert "Seq Scan" not in plan, plan  # every table is reached through an index
    # One table: each partner's document (migration 0019), found by its trigram index or
    # tested row by row along the name index, whichever the planner finds cheaper.
    assert "ix_partner_search_doc" in plan or "ix_partner_name" in plan, plan
    # (the page's shown INN still comes from its legal entities, by their primary keys)
    assert "search_text" not in plan and "search_phone" not in plan, plan
    assert "contact" not in plan, plan


PARITY: list[dict[str, Any]] = [
    {"type": "region", "code": "MSK", "name": "Москва"},
    {"type": "partner", "id": "P1", "name": "Ромашка", "region": "MSK", "roles": ["client"]},
    {"type": "partner", "id": "P2", "name": "Артём и партнёры", "roles": ["supplier"]},
    {"type": "partner", "id": "P3", "name": "Acme Trading", "roles": ["client", "competitor"]},
    {"type": "partner", "id": "P4", "name": "[/] ООО «Береза-2»", "roles": ["other"]},
    {"type": "counterparty", "id": "C1", "partners": ["P1", "P3"], "inn": "7707083893",
     "short_name": "ООО Ромашка", "full_name": "Общество Ромашка", "kpp": "773601001"},
    {"type": "contact", "id": "K1", "partner": "P2", "name": "Пётр Сидоров",
     "phones": ["+79161234567"], "emails": ["petr@artem.example"]},
    {"type": "contact", "id": "K2", "partner": "P4", "name": "Anna",
     "phones": ["+74952101500"], "emails": ["anna@bereza.example"]},
]
SEARCHES = ["рома", "РОМАШКА", "ромаш acme", "acme-trading", "ACM", "Артем", "артём",
            "партнеры", "7707083", "773601", "+7 (916) 123-45-67", "8 916 123", "9161234567",
            "916", "495 210", "8 495 210-15", "210-15", "petr@artem", "PETR", "пётр", "сидоров п",
            "береза", "берёза-2", "«береза»", 'ООО "Рома', "нет такого", "[/]", "%", "_", "ё",
            "anna@", "bereza.example", "2", "0838", "083893", "3601", "1234567", "01500",
            "2101500"]


def _keys(database: Database, search: str) -> list[str]:
    with database.read() as session:
        return sorted(hit.key for hit in search_partners(session, search, 20))


def test_same_answers_as_sqlite(pg_db: Database, db: Database) -> None:
    lines = [json.dumps(line, ensure_ascii=False) for line in PARITY]
    import_lines(pg_db, lines)
    import_lines(db, lines)
    for search in SEARCHES:
        assert _keys(pg_db, search) == _keys(db, search), search
    # Phones match from the start, or from the start of their last seven digits (issue 22).
    assert _keys(pg_db, "210-15") == ["P4"]
    assert _keys(pg_db, "01500") == []
    assert _keys(pg_db, "495 210") == ["P4"]
    assert _keys(pg_db, "ромаш acme") == ["P3"]


def test_a_text_search_is_first_counted_up_to_the_small_cap(many: Database) -> None:
    """PostgreSQL rechecks every row its trigram index finds: a keystroke counts at most CAP
    matches with its first page (the exact count follows in the background), not SQLite's
    TEXT_CAP (which cost a 4,500-match keystroke 10-17 ms on the huge set)."""
    from crm_tui.screens.partners.list import CAP, TEXT_CAP, PartnerSource

    source = PartnerSource(many, PartnerFilter(text="Компания"))
    assert source.cap == CAP < TEXT_CAP
    assert source.count() == CAP + 1
    assert source.capped
    with many.read() as session:
        exact = source.exact_count(session)
    assert CAP < exact < TEXT_CAP  # counted with SQLite's cap it would have been exact
    source.know_total(exact)
    assert not source.capped
