"""Partner search: the FTS index kept by triggers, folding, hostile input, query plans."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from crm_tui.domain.partners import ContactInput
from crm_tui.exchange.importer import import_lines
from crm_tui.store import repo_partners_read as read
from crm_tui.store import repo_partners_write as write
from crm_tui.store import search_partners
from crm_tui.store.database import Database
from crm_tui.store.search_partners import PartnerFilter, list_statement, match_query
from tests.support.sql import explain

LINES = [
    {"type": "region", "code": "MSK", "name": "Москва"},
    {"type": "region", "code": "SPB", "name": "Санкт-Петербург"},
    {"type": "user", "login": "ivanov", "name": "Иванов И. И."},
    {"type": "user", "login": "petrova", "name": "Петрова А. С."},
    {"type": "partner", "id": "P1", "name": "Ромашка", "region": "MSK", "roles": ["client"],
     "manager": "ivanov"},
    {"type": "partner", "id": "P2", "name": "Артём и партнёры", "region": "SPB",
     "roles": ["supplier"], "manager": "petrova"},
    {"type": "partner", "id": "P3", "name": "Acme Trading", "roles": ["client", "competitor"]},
    {"type": "counterparty", "id": "C1", "partners": ["P1", "P3"], "inn": "7707083893",
     "short_name": "ООО Ромашка", "full_name": "Общество Ромашка", "kpp": "773601001"},
    {"type": "contact", "id": "K1", "partner": "P2", "name": "Пётр Сидоров",
     "phones": ["+79161234567"], "emails": ["petr@artem.example"]},
]


@pytest.fixture
def pdb(db: Database) -> Database:
    import_lines(db, [json.dumps(line, ensure_ascii=False) for line in LINES])
    return db


def keys(db: Database, text: str) -> list[str]:
    with db.read() as s:
        return sorted(hit.key for hit in search_partners.search_partners(s, text, 20))


@pytest.mark.parametrize(("text", "expected"), [
    ("рома", ["P1", "P3"]),  # P3 through its legal entity ООО Ромашка
    ("РОМАШКА", ["P1", "P3"]),
    ("ромаш acme", ["P3"]),
    ("acme", ["P3"]),
    ("ACM", ["P3"]),
    ("Артем", ["P2"]),
    ("артём", ["P2"]),
    ("партнеры", ["P2"]),
    ("7707083", ["P1", "P3"]),
    ("+7 (916) 123-45-67", ["P2"]),
    ("8 916 123", ["P2"]),
    ("9161234567", ["P2"]),
    ("petr@artem", ["P2"]),
    ("PETR", ["P2"]),
    ("пётр", ["P2"]),
    ("нет такого", []),
])
def test_search_finds(pdb: Database, text: str, expected: list[str]) -> None:
    assert keys(pdb, text) == expected


@pytest.mark.parametrize("text", [
    'ООО "Рома', "Ромашка-2", '"', "'", "*", "(", ")", "AND", "OR NOT", "NEAR(", "^", ":",
    "[/]", "[@click=app.quit]x[/]", "\x1b]52;c;YQ==\x07", "%", "_", "\\", "ё", "-", "a:b",
    '"""', "рома*", "col:рома", "{body}", "\u0000",
])
def test_any_input_gives_results_or_none(pdb: Database, text: str) -> None:
    keys(pdb, text)  # never raises
    with pdb.read() as s:
        search_partners.count_partners(s, PartnerFilter(text=text))
        search_partners.fetch_partners(s, PartnerFilter(text=text), 0, 10)


def test_quotes_and_dashes_still_match(pdb: Database) -> None:
    assert keys(pdb, 'ООО "Рома') == ["P1", "P3"]
    assert keys(pdb, "acme-trading") == ["P3"]


def test_match_query_quotes_every_token() -> None:
    assert match_query('ООО "Рома') == '"ооо"* AND """рома"*'
    assert match_query("Артём") == '"артем"*'
    assert match_query("[/]") is None
    assert match_query("   ") is None


def test_index_follows_edits(pdb: Database) -> None:
    with pdb.write() as s:
        view = read.get_partner(s, "P1")
        write.update_partner(s, "P1", view.version, "Лютик", view.region_id, view.roles,
                            view.manager_id, "")
    assert keys(pdb, "лютик") == ["P1"]
    assert keys(pdb, "ромашка") == ["P1", "P3"]  # still through the legal entity
    with pdb.write() as s:
        write.unlink_counterparty(s, "P3", "C1")
    assert keys(pdb, "7707083893") == ["P1"]
    with pdb.write() as s:
        write.add_contact(s, "P3", ContactInput(name="Jane", emails=("jane@acme.example",),
                                                    phones=("8 812 555-12-34",)))
    assert keys(pdb, "jane@acme") == ["P3"]
    assert keys(pdb, "88125551234") == ["P3"]


def test_filters_and_sorts(pdb: Database) -> None:
    with pdb.read() as s:
        regions = {c.name: c.id for c in read.regions(s)}
        users = {c.name: c.id for c in read.managers(s)}
        msk = search_partners.fetch_partners(s, PartnerFilter(region_id=regions["Москва"]), 0, 10)
        assert [h.key for h in msk] == ["P1"]
        comp = search_partners.fetch_partners(s, PartnerFilter(role_bit=4), 0, 10)
        assert [h.key for h in comp] == ["P3"]
        petrova = PartnerFilter(manager_id=users["Петрова А. С."])
        mgr = search_partners.fetch_partners(s, petrova, 0, 10)
        assert [h.key for h in mgr] == ["P2"]
        by_name = search_partners.fetch_partners(s, PartnerFilter(), 0, 10)
        assert [h.name for h in by_name] == ["Acme Trading", "Артём и партнёры", "Ромашка"]
        assert search_partners.count_partners(s, PartnerFilter(text="рома")) == 2
        by_region = search_partners.fetch_partners(s, PartnerFilter(sort="region"), 0, 10)
        assert [h.key for h in by_region][-2:] == ["P1", "P2"]


def _fill_100k(path: str) -> None:
    connection = sqlite3.connect(path)
    words = ["Ромашка", "Лютик", "Вектор", "Горизонт", "Альфа", "Омега", "Сигма", "Берёза"]
    connection.executemany(
        "INSERT INTO partner(key, name, roles, version) VALUES (?, ?, 1, 1)",
        ((f"X{i:06d}", f"{words[i % 8]} {i}") for i in range(100_000)),
    )
    connection.commit()
    connection.close()


def test_search_on_100k_partners_uses_the_index(db: Database) -> None:
    _fill_100k(db.url.removeprefix("sqlite:///"))
    with db.read() as s:
        assert search_partners.count_partners(s, PartnerFilter()) == 100_000
        hits = search_partners.search_partners(s, "береза 4242", 5)
        assert hits[0].name.startswith("Берёза 4242")
        for text in ("р", "ро", "рома", "ромашка 1", 'ООО "Рома'):
            statement = list_statement(s, PartnerFilter(text=text))
            assert statement is not None
            sql, params = statement
            plan = " | ".join(explain(s, sql, {**params, "limit": 50, "offset": 0}))
            assert "VIRTUAL TABLE INDEX" in plan and ":M" in plan, plan
            # No scan of the partners, but the walk of the name index up to a page's end
            # when many match.
            assert not re.search(r"SCAN p\b(?! USING COVERING INDEX ix_partner_name)",
                                 plan), plan
        sql = ("SELECT rowid FROM partner_search WHERE partner_search MATCH :match "
               "ORDER BY rank LIMIT 10")
        plan = " | ".join(explain(s, sql, {"match": match_query("рома")}))
        assert "VIRTUAL TABLE INDEX" in plan, plan


@pytest.mark.parametrize("typed", ["а", "б", "альфа 1"])
def test_pages_of_a_search_in_name_order_come_from_the_labels(db: Database,
                                                              typed: str) -> None:
    """A search in name order reads the index's first matches in label order (no sort of
    every match, no scan of the partners); its pages are the matches sorted by name."""
    connection = sqlite3.connect(db.url.removeprefix("sqlite:///"))
    words = ["Альфа", "Азот", "Беркут", "Алмаз"]
    rows = [(f"X{i:05d}", f"{words[i % 4]} {(i * 7919) % 3000}") for i in range(3000)]
    connection.executemany("INSERT INTO partner(key, name, roles, version) VALUES (?, ?, 1, 1)",
                           rows)  # in no order of names: labels from halving the gaps
    connection.commit()
    connection.close()
    prefixes = typed.split()
    expected = sorted((name, key) for key, name in rows
                      if all(any(word.lower().startswith(prefix) for word in name.split())
                             for prefix in prefixes))
    flt = PartnerFilter(text=typed)
    with db.read() as s:
        total = search_partners.count_partners(s, flt)
        assert total == len(expected)
        first = search_partners.fetch_partners(s, flt, 0, 100)
        after = search_partners.fetch_after(s, flt, (first[-1].name, first[-1].row_id), 100)
        deep = search_partners.fetch_partners(s, flt, 500, 100)
        end = search_partners.fetch_from_end(s, flt, total - 100, 100, total)
        sql, params = list_statement(s, flt) or ("", {})
        plan = " | ".join(explain(s, sql, {**params, "limit": 100, "offset": 0}))
    keys = [key for _name, key in expected]
    assert [hit.key for hit in first] == keys[:100]
    assert [hit.key for hit in after] == keys[100:200]
    assert [hit.key for hit in deep] == keys[500:600]
    assert [hit.key for hit in end] == keys[-100:]
    # The index gives its matches in label order (no sort of them before the LIMIT).
    assert "SCAN partner_search VIRTUAL TABLE INDEX" in plan, plan
    assert not re.search(r"SCAN (p|partner)\b", plan), plan


def test_a_pages_statements_read_one_snapshot(db: Database) -> None:
    """The search's statements go to the driver's cursor, inside the session's read
    transaction: a partner another session adds meanwhile is seen by neither the page nor
    the count of that read, and by the next read."""
    connection = sqlite3.connect(db.url.removeprefix("sqlite:///"))
    connection.execute(
        "INSERT INTO partner(key, name, roles, version) VALUES ('A1', 'Альфа', 1, 1)")
    connection.commit()
    flt = PartnerFilter(text="альфа")
    with db.read() as s:
        assert [hit.key for hit in search_partners.fetch_partners(s, flt, 0, 10)] == ["A1"]
        connection.execute(
            "INSERT INTO partner(key, name, roles, version) VALUES ('A2', 'Альфа 2', 1, 1)")
        connection.commit()
        assert search_partners.count_partners(s, flt) == 1
        assert [hit.key for hit in search_partners.fetch_partners(s, flt, 0, 10)] == ["A1"]
    with db.read() as s:
        assert search_partners.count_partners(s, flt) == 2
    connection.close()
