"""partners: prefix indexes in the full-text search (SQLite)

Typing a search word starts with one or two letters, and every token of the index that
begins with them had to be merged (29 ms to count the 91,000 partners matching "а" of
100k, 43 ms for their first page). FTS5 now also indexes every token's first one, two and
three characters, so such a prefix is one lookup (4 ms to count, and the list's first page
walks the name index when most partners match, see search_partners).

The table is made again with the same documents; its triggers (0002) are left as they are.

Revision ID: 0008_partner_prefixes
Revises: 0007_inbox_counts
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0008_partner_prefixes"
down_revision = "0007_inbox_counts"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 0'"


def _remake(options: str) -> None:
    """partner_search made again with `options`, keeping every document."""
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE TEMP TABLE partner_search_copy AS SELECT rowid AS id, body "
               "FROM partner_search")
    op.execute("DROP TABLE partner_search")
    op.execute(f"CREATE VIRTUAL TABLE partner_search USING fts5(body, {options})")
    op.execute("INSERT INTO partner_search(rowid, body) SELECT id, body FROM partner_search_copy")
    op.execute("DROP TABLE partner_search_copy")


def upgrade() -> None:
    _remake(f"{TOKENIZE}, prefix = '1 2 3'")


def downgrade() -> None:
    _remake(TOKENIZE)
