"""partners: the full-text search index merged into one segment (SQLite)

A bulk load leaves the FTS5 index in several segments (twelve after `crm demo --size
huge`), and a search reads every one of them: the list's first page of a search walking
the name index probes each segment for each partner, 2-3x slower than with one. The
index is merged once here; imports of many partners and `crm db optimize` merge it again
(`search_partners.merge_search_index`). Nothing changes in the schema.

Revision ID: 0009_partner_search_merged
Revises: 0008_partner_prefixes
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0009_partner_search_merged"
down_revision = "0008_partner_prefixes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("INSERT INTO partner_search(partner_search) VALUES ('optimize')")


def downgrade() -> None:
    """Nothing to undo: the merged index holds the same documents."""
