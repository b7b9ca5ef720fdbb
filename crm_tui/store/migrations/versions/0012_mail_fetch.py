"""mail: incoming e-mail becomes interactions

`mail_folder_state` keeps, per mailbox folder, the UIDVALIDITY and the last UID fetched,
updated in the same transaction as the message's interaction, so an interrupted fetch
resumes after the last message stored. `interaction_attachment` holds the files that came
with an e-mail (like claim attachments). An index on interaction.message_id finds the
interaction a reply continues and refuses a message stored before.

Revision ID: 0012_mail_fetch
Revises: 0011_secrets_out
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_mail_fetch"
down_revision = "0011_secrets_out"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_folder_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=255), nullable=False),
        sa.Column("folder", sa.String(length=255), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account", "folder", name="uq_mail_folder_state"),
    )
    op.create_table(
        "interaction_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("mime", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["interaction_id"], ["interaction.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_interaction_attachment_interaction_id", "interaction_attachment",
                    ["interaction_id"])
    op.create_index("ix_interaction_message_id", "interaction", ["message_id"])


def downgrade() -> None:
    op.drop_index("ix_interaction_message_id", table_name="interaction")
    op.drop_index("ix_interaction_attachment_interaction_id",
                  table_name="interaction_attachment")
    op.drop_table("interaction_attachment")
    op.drop_table("mail_folder_state")
