"""claim plan: the claims list reads each claim's tasks by an index on (claim_id, done, due)

The claims list shows, for each claim of its page, how many plan tasks are done and the
next one due: correlated subqueries on claim_task. With only ix_claim_task_claim_id and
0016's (done, due), SQLite chose (done, due) for "this claim's open tasks" and read every
open task of every claim for each row: opening Claims on the huge demo set took 6 s. One
index on (claim_id, done, due, seq) answers all four subqueries from the claim's own rows.

Revision ID: 0018_claim_plan
Revises: 0017_pgscale
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0018_claim_plan"
down_revision = "0017_pgscale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new index only: no table rebuild (the table's triggers stay as they are).
    op.create_index("ix_claim_task_claim_open", "claim_task",
                    ["claim_id", "done", "due", "seq"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_claim_task_claim_open", table_name="claim_task")
