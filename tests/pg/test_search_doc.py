"""Partner search on PostgreSQL reads one document per partner (migration 0019_pgfloors):
the documents follow every write of partners, legal entities, their links and contacts, and
a frequent token's first page stops at its last row instead of uniting every match's id."""

from __future__ import annotations

import json

from sqlalchemy import text

from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database
from crm_tui.store.search_partners import PartnerFilter, count_partners, list_statement
from tests.pg.test_search import many  # noqa: F401 (the fixture)


def _found(database: Database, search: str) -> list[str]:
    with database.read() as session:
        statement = list_statement(session, PartnerFilter(text=search))
        if statement is None:
            return []
        sql, params = statement
        rows = session.execute(text(sql), {**params, "limit": 50, "offset": 0}).all()
    return sorted(row.key for row in rows)


def test_the_documents_follow_every_write(pg_db: Database) -> None:
    import_lines(pg_db, [json.dumps(line, ensure_ascii=False) for line in (
        {"type": "partner", "id": "P1", "name": "Ромашка", "roles": ["client"]},
        {"type": "partner", "id": "P2", "name": "Василёк", "roles": ["client"]},
        {"type": "counterparty", "id": "C1", "partners": ["P1"], "inn": "7707083893",
         "short_name": "ООО Луг", "full_name": "Общество Луг", "phone": "+7 495 210-15-00"},
        {"type": "contact", "id": "K1", "partner": "P2", "name": "Пётр Сидоров",
         "phones": ["+79161234567"], "emails": ["petr@example.ru"]},
    )])
    assert _found(pg_db, "луг") == ["P1"] and _found(pg_db, "083893") == ["P1"]
    assert _found(pg_db, "сидоров") == ["P2"] and _found(pg_db, "8 916 123") == ["P2"]
    assert _found(pg_db, "2101500") == ["P1"] and _found(pg_db, "ромашка луг") == ["P1"]
    with pg_db.write() as session:
        session.execute(text("UPDATE partner SET name = 'Одуванчик' WHERE key = 'P1'"))
        session.execute(text("UPDATE counterparty SET short_name = 'ООО Поле' WHERE key = 'C1'"))
        session.execute(text("UPDATE contact SET name = 'Пётр Иванов' WHERE key = 'K1'"))
    assert _found(pg_db, "ромашка") == [] and _found(pg_db, "одуванчик") == ["P1"]
    assert _found(pg_db, "поле") == ["P1"] and _found(pg_db, "сидоров") == []
    assert _found(pg_db, "иванов") == ["P2"]
    with pg_db.write() as session:  # the legal entity moves to the other partner
        session.execute(text("UPDATE partner_counterparty SET partner_id ="
                             " (SELECT id FROM partner WHERE key = 'P2')"))
        session.execute(text("INSERT INTO contact (key, partner_id, name, phones, emails,"
                             " version) SELECT 'K2', id, 'Анна Белова', '[]', '[]', 1"
                             " FROM partner WHERE key = 'P1'"))
        session.execute(text("DELETE FROM contact WHERE key = 'K1'"))
    assert _found(pg_db, "поле") == ["P2"] and _found(pg_db, "иванов") == []
    assert _found(pg_db, "белова") == ["P1"]
    with pg_db.write() as session:
        session.execute(text("DELETE FROM counterparty WHERE key = 'C1'"))
        session.execute(text("DELETE FROM partner WHERE key = 'P1'"))  # its contacts go too
    assert _found(pg_db, "поле") == [] and _found(pg_db, "василек") == ["P2"]


def test_a_token_never_matches_across_two_texts(pg_db: Database) -> None:
    import_lines(pg_db, [json.dumps(line, ensure_ascii=False) for line in (
        {"type": "partner", "id": "P1", "name": "Альфа", "roles": ["client"]},
        {"type": "contact", "id": "K1", "partner": "P1", "name": "Бета",
         "phones": [], "emails": []},
    )])
    assert _found(pg_db, "альфа") == ["P1"] and _found(pg_db, "альфа бета") == ["P1"]
    assert _found(pg_db, "альфа-бета") == []  # one token: "альфа бета" in one text


def test_a_frequent_token_reads_one_page_of_partners(many: Database) -> None:  # noqa: F811
    """«к» matches every partner: the page walks the name index and stops after its 50
    rows; before 0019 the ids of all 3,000 partners and their contacts were united first."""
    with many.read() as session:
        statement = list_statement(session, PartnerFilter(text="к"))
        assert statement is not None
        sql, params = statement
        plan = "\n".join(session.execute(
            text("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql),
            {**params, "limit": 50, "offset": 0}).scalars())
        assert count_partners(session, PartnerFilter(text="к"), cap=100) == 100
    lines = plan.splitlines()
    tested = [lines[n - 1] for n, line in enumerate(lines) if "search_doc" in line]
    assert len(tested) == 1 and "Index Scan using ix_partner_name" in tested[0], plan
    assert "actual rows=50 " in tested[0], plan  # no more partners read than the page
