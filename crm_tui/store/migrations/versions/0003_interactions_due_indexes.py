"""interactions: indexes on "due" = coalesce(review_after, at) for the inbox

Revision ID: 0003_interactions
Revises: 0002_partners
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_interactions"
down_revision = "0002_partners"
branch_labels = None
depends_on = None

DUE = sa.text("coalesce(review_after, at)")


def upgrade() -> None:
    op.create_index("ix_interaction_status_due", "interaction", ["status", DUE])
    op.create_index("ix_interaction_manager_status_due", "interaction",
                    ["manager_id", "status", DUE])
    op.create_index("ix_interaction_kind_status_due", "interaction", ["kind", "status", DUE])
    op.create_index("ix_interaction_due", "interaction", [DUE])


def downgrade() -> None:
    for name in ("ix_interaction_due", "ix_interaction_kind_status_due",
                 "ix_interaction_manager_status_due", "ix_interaction_status_due"):
        op.drop_index(name, table_name="interaction")
