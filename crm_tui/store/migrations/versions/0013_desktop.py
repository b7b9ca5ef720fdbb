"""desktop: the setting settlement_basis goes

"Settlement by contracts" needs contracts, which the product does not have (settlements are
by agreements, always): the setting changed nothing, so it is removed with its stored value.

Revision ID: 0013_desktop
Revises: 0012_mail_fetch
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0013_desktop"
down_revision = "0012_mail_fetch"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM setting WHERE key = 'settlement_basis'")


def downgrade() -> None:
    # Nothing to restore: without a row the old code read the default, "agreements", which
    # is what every database did.
    pass
