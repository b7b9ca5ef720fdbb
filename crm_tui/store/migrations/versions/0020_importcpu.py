"""interaction: the index on subject_deal_id alone goes (ix_interaction_subject_deal_at serves)

ix_interaction_subject_deal_at (subject_deal_id, at; 0015) begins with the same column, so
every lookup by a deal (the deal form's chain, Home's last interaction, the ON DELETE of a
deal, a subject filter) can use it; the single-column index was one more structure for
every interaction written, and for `crm import` to build after a bulk load. The query plans
that used it use the wider index now (tests/unit/perf/test_query_plans.py).

Revision ID: 0020_importcpu
Revises: 0019_pgfloors
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0020_importcpu"
down_revision = "0019_pgfloors"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An index only: batch mode emits DROP INDEX without copying the table.
    with op.batch_alter_table("interaction") as batch:
        batch.drop_index("ix_interaction_subject_deal_id")


def downgrade() -> None:
    with op.batch_alter_table("interaction") as batch:
        batch.create_index("ix_interaction_subject_deal_id", ["subject_deal_id"])
