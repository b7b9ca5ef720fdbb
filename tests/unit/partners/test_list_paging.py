"""The partner list's cheap paging: capped counts, keyset pages, pages read from the end,
and the PostgreSQL search expressions kept equal to migration 0004's indexes."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

import pytest

from crm_tui.store import search_partners_pg
from crm_tui.store.database import Database
from crm_tui.store.search_partners import (
    PartnerFilter,
    count_partners,
    count_statement,
    fetch_after,
    fetch_from_end,
    fetch_partners,
    keyset_statement,
)
from tests.support.sql import explain

MIGRATION = (Path(search_partners_pg.__file__).parent / "migrations" / "versions"
             / "0004_partners_pg_search.py")


def _fill(db: Database, count: int) -> None:
    connection = sqlite3.connect(db.url.removeprefix("sqlite:///"))
    connection.executemany(
        "INSERT INTO partner(key, name, roles, version) VALUES (?, ?, 1, 1)",
        ((f"X{i:05d}", f"Фирма {i % 50:02d}") for i in range(count)))  # many equal names
    connection.commit()
    connection.close()


def test_keyset_and_from_end_pages_equal_offset_pages(db: Database) -> None:
    _fill(db, 1000)
    flt = PartnerFilter()
    with db.read() as s:
        every = fetch_partners(s, flt, 0, 1000)
        page = fetch_partners(s, flt, 0, 70)
        seen = list(page)
        while page:
            page = fetch_after(s, flt, (page[-1].name, page[-1].row_id), 70)
            seen.extend(page)
        assert seen == every
        for offset in (0, 430, 930, 990):
            assert fetch_from_end(s, flt, offset, 70, 1000) == every[offset:offset + 70]
        assert fetch_from_end(s, flt, 1000, 70, 1000) == []


def test_capped_and_index_only_counts(db: Database) -> None:
    _fill(db, 300)
    with db.read() as s:
        assert count_partners(s, PartnerFilter(text="фирма")) == 300
        assert count_partners(s, PartnerFilter(text="фирма"), cap=101) == 101
        assert count_partners(s, PartnerFilter(text="фирма 07")) == 6
        assert count_partners(s, PartnerFilter(text="[/]"), cap=5) == 0
        statement = count_statement(s, PartnerFilter(text="фирма"), cap=10)
        assert statement is not None
        plan = " | ".join(explain(s, statement[0], statement[1]))
        assert "VIRTUAL TABLE INDEX" in plan and "partner p" not in plan, plan


@pytest.mark.parametrize("backwards", [False, True])
def test_keyset_pages_walk_the_name_index(db: Database, backwards: bool) -> None:
    _fill(db, 100)
    with db.read() as s:
        statement = keyset_statement(s, PartnerFilter(), backwards)
        assert statement is not None
        sql, params = statement
        values = {**params, "after_name": "Фирма 10", "after_id": 5, "limit": 50, "offset": 0}
        plan = " | ".join(explain(s, sql, values))
    # The page's ids are read in index order; only the page itself (≤ limit rows, after their
    # columns are looked up) is sorted again.
    choosing = plan.split("SCAN w")[0]
    assert "ix_partner_name" in choosing and "TEMP B-TREE" not in choosing, plan


def test_pg_expressions_equal_the_migration_indexes() -> None:
    spec = importlib.util.spec_from_file_location("migration_0004", MIGRATION)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    for name in ("PARTNER_TEXT", "COUNTERPARTY_TEXT", "COUNTERPARTY_PHONE", "CONTACT_TEXT",
                 "CONTACT_PHONE"):
        assert getattr(migration, name) == getattr(search_partners_pg, name), name
        assert getattr(migration, name) in migration.NEW_INDEXES[
            next(k for k, v in migration.NEW_INDEXES.items()
                 if getattr(migration, name) in v)]


def test_pg_query_quotes_nothing_from_the_user() -> None:
    assert search_partners_pg.matching_condition("[/]%_") is None
    assert search_partners_pg.fold_token("«Берёза-2»") == "береза 2"
    found = search_partners_pg.matching_condition("8 916 123")
    assert found is not None
    sql, params = found
    assert "916123" not in sql and params["d1_0_0"] == '%"916123%'
