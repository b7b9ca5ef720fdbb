"""`interaction` carries no index that another one's prefix already gives (import speed:
every index is one more structure written per row and built after a bulk load)."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from crm_tui.store.database import Database
from crm_tui.store.repo_deals_form import load_deal
from tests.unit.perf.test_query_plans import recorded


def _indexes(db: Database) -> dict[str, list[str]]:
    """Index name -> its columns (expressions as None), as SQLite reports them."""
    with db.engine.connect() as connection:
        names = connection.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'interaction'"
            " AND sql IS NOT NULL")).scalars().all()
        return {name: [row[2] for row in connection.exec_driver_sql(
            f'PRAGMA index_info("{name}")')] for name in names}


def test_no_index_is_a_prefix_of_another(db: Database) -> None:
    indexes = _indexes(db)
    assert "ix_interaction_subject_deal_at" in indexes
    redundant = [(name, other) for name, columns in indexes.items()
                 for other, wider in indexes.items()
                 if other != name and None not in columns and wider[:len(columns)] == columns]
    assert redundant == []


def test_a_deal_s_interactions_are_read_through_the_wider_index(small_db: Database) -> None:
    with Session(small_db.engine) as session:
        key = session.exec(text("SELECT key FROM deal ORDER BY id LIMIT 1")).scalar_one()
        with recorded(small_db) as statements:
            load_deal(session, key)
    chain = [(sql, params) for sql, params in statements if "subject_deal_id =" in sql]
    assert chain
    raw = small_db.engine.raw_connection()
    try:
        for sql, params in chain:
            plan = " ".join(str(row[-1]) for row in raw.cursor().execute(
                f"EXPLAIN QUERY PLAN {sql}", params).fetchall())
            assert "ix_interaction_subject_deal_at" in plan, plan
    finally:
        raw.close()
