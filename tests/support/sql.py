"""SQL diagnostics for tests."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session


def explain(session: Session, sql: str, params: dict[str, object]) -> list[str]:
    """The SQLite query plan of `sql` (its details column)."""
    return [r[3] for r in session.execute(text("EXPLAIN QUERY PLAN " + sql), params)]
