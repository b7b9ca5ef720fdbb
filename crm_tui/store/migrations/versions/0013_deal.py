"""deal: primary demand as lines

A deal's primary demand (table `deal_demand_reason`) becomes lines: what the client asked
for (`item`, free text), its `quantity` (thousandths, `quantity_milli`), `price_minor`, the
line's amount (`amount_minor`, as before) and whether it was `met`; the unmet-demand reason
(`reason_id`) is now empty on a met line. Rows written before stay unmet lines without an
item (the exchange format's `demand_reasons`). The index on `item` serves the form's
completion from items used before.

Revision ID: 0013_deal
Revises: 0012_mail_fetch
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_deal"
down_revision = "0012_mail_fetch"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deal_demand_reason", schema=None) as batch_op:
        batch_op.add_column(sa.Column("item", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("quantity_milli", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("price_minor", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("met", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.alter_column("reason_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f("ix_deal_demand_reason_item"), ["item"], unique=False)


def downgrade() -> None:
    # met lines have no reason: they cannot stay in the older table
    op.execute(sa.text("DELETE FROM deal_demand_reason WHERE reason_id IS NULL"))
    with op.batch_alter_table("deal_demand_reason", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deal_demand_reason_item"))
        batch_op.alter_column("reason_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("met")
        batch_op.drop_column("price_minor")
        batch_op.drop_column("quantity_milli")
        batch_op.drop_column("item")
