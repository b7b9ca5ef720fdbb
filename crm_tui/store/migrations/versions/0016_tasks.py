"""tasks: claim-plan tasks are assignments

`claim_task.done_at` records when a task was marked done, so the per-assignee report can
tell a task done on time from one done late. Existing done tasks keep NULL: the time they
were done was never recorded, and the report counts them as on time (nothing says they
were late); inventing a time would put a false date into the exchange file. An index on
(assignee_id, done, due) serves "My tasks" and Home, which read a user's open tasks in due
order; one on (done, due) the calendar, which reads everyone's open tasks of a period.

Revision ID: 0016_tasks
Revises: 0015_desktop
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_tasks"
down_revision = "0015_desktop"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claim_task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("done_at", sa.DateTime(), nullable=True))
        batch_op.create_index("ix_claim_task_assignee_open", ["assignee_id", "done", "due"],
                              unique=False)
        batch_op.create_index("ix_claim_task_open_due", ["done", "due"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("claim_task", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_task_open_due")
        batch_op.drop_index("ix_claim_task_assignee_open")
        batch_op.drop_column("done_at")
