"""How the partner list reads a search: the share of matches from the first count, and the
search index merged into one segment after bulk writes (`crm db optimize`, imports)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from crm_tui.cli import main
from crm_tui.exchange.importer import import_lines
from crm_tui.screens.partners import CAP, PartnerSource
from crm_tui.store import search_partners
from crm_tui.store.database import Database
from crm_tui.store.search_partners import BULK_WRITES, PartnerFilter, name_order_share


def _add_partners(db: Database, names: list[str], first: int = 0) -> None:
    """Partners written straight into SQLite, one transaction (the triggers index them)."""
    connection = sqlite3.connect(db.url.removeprefix("sqlite:///"))
    connection.executemany("INSERT INTO partner(key, name, roles, version) VALUES (?, ?, 1, 1)",
                           ((f"X{i:05d}", name) for i, name in enumerate(names, first)))
    connection.commit()
    connection.close()


@contextmanager
def _selects(db: Database) -> Iterator[list[str]]:
    """The SELECT statements sent to the database while the block runs."""
    seen: list[str] = []

    def capture(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)


def _segments(db: Database) -> int:
    with db.read() as session:
        return int(session.connection().exec_driver_sql(
            "SELECT count(DISTINCT segid) FROM partner_search_idx").scalar_one())


def test_an_exact_count_gives_the_share_without_a_sample(db: Database) -> None:
    # 3000 partners, one in four named "Беркут": 750 matches, under the first count's cap.
    words = ["Альфа", "Азот", "Беркут", "Алмаз"]
    _add_partners(db, [f"{words[i % 4]} {i}" for i in range(3000)])
    flt = PartnerFilter(text="берк")
    with db.read() as session:
        assert name_order_share(session, flt, 750) == pytest.approx(0.25)
        assert name_order_share(session, flt) == pytest.approx(0.25, abs=0.01)  # sampled
        # Not read in name order by a walk: other sorts and filters sort anyway.
        assert name_order_share(session, PartnerFilter(text="берк", sort="region"), 750) == 0
        assert name_order_share(session, PartnerFilter(text="берк", region_id=1), 750) == 0

    source = PartnerSource(db, flt)
    with _selects(db) as seen:
        rows = source.fetch(0, 50)
        assert source.count() == 750
    assert len(rows) == 50 and all(row.cells[0].startswith("Беркут") for row in rows)
    assert not any("OFFSET" in statement and "partner_search" in statement
                   and "count(*)" in statement for statement in seen), seen  # no sample
    assert any("ix_partner_name" in statement for statement in seen), seen  # the walk

    with _selects(db) as seen:  # the next pages reuse the share found with the first
        source.fetch(50, 50)
    assert len(seen) == 1, seen


def test_a_capped_first_count_samples_the_share(db: Database) -> None:
    _add_partners(db, [f"Альфа {i}" for i in range(CAP + 500)])
    source = PartnerSource(db, PartnerFilter(text="альфа"))
    with _selects(db) as seen:
        assert len(source.fetch(0, 50)) == 50
    assert source.count() == CAP + 1 and source.capped
    assert any("OFFSET" in statement and "count(*)" in statement for statement in seen), seen
    assert source.exact_count() == CAP + 500


def test_the_index_is_merged_after_a_bulk_import(db: Database) -> None:
    def partners(first: int, count: int) -> list[str]:
        return [json.dumps({"type": "partner", "id": f"P{i}", "name": f"Партнёр {i}",
                            "roles": ["client"]}, ensure_ascii=False)
                for i in range(first, first + count)]

    import_lines(db, partners(0, 10))
    import_lines(db, partners(10, 10))
    assert _segments(db) >= 2  # each write transaction added a segment
    import_lines(db, partners(100, BULK_WRITES))
    assert _segments(db) == 1
    with db.read() as session:
        found = search_partners.count_partners(session, PartnerFilter(text="партнер"))
    assert found == BULK_WRITES + 20


def test_crm_db_optimize_merges_the_index(db: Database, capsys: pytest.CaptureFixture[str]
                                          ) -> None:
    for first in (0, 10, 20):
        _add_partners(db, [f"Гамма {i}" for i in range(first, first + 10)], first)
    assert _segments(db) >= 2
    assert main(["db", "optimize", "--db", db.url.removeprefix("sqlite:///")]) == 0
    assert "search index merged" in capsys.readouterr().out
    assert _segments(db) == 1
    with db.read() as session:
        assert search_partners.count_partners(session, PartnerFilter(text="гам")) == 30


def test_crm_db_optimize_on_a_new_database(tmp_path: Path) -> None:
    assert main(["db", "optimize", "--db", str(tmp_path / "new.sqlite3")]) == 0
