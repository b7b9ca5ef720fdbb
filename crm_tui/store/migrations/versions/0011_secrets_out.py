"""settings: passwords, tokens and each user's mail account leave the shared database

The `setting` table held the SMTP password and login, the sender address and the DaData
token, readable by everyone using the database and copied into every backup. They become
the upgrading user's own credentials (crm_tui.credentials: their keyring or their 0600
config file; values the user already has are kept) and are deleted from the table. The
caller shows the notice `credentials.adopt` queues; this migration shows nothing. If they
cannot be saved, the upgrade fails and rolls back, so nothing is lost.

Revision ID: 0011_secrets_out
Revises: 0010_partner_name_labels
Create Date: 2026-12-03
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0011_secrets_out"
down_revision = "0010_partner_name_labels"
branch_labels = None
depends_on = None

MOVED = ("smtp_password", "dadata_token", "smtp_login", "smtp_from")


def upgrade() -> None:
    from crm_tui import credentials

    setting = sa.table("setting", sa.column("key", sa.String), sa.column("value", sa.Text))
    bind = op.get_bind()
    rows = bind.execute(sa.select(setting.c.key, setting.c.value)
                        .where(setting.c.key.in_(MOVED))).all()
    if not rows:
        return
    values: dict[str, str] = {}
    for key, raw in rows:
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        if isinstance(value, str) and value:
            values[key] = value
    if values:
        credentials.adopt(values)
    if bind.dialect.name == "sqlite":
        # Overwrite the deleted values in the file too, not only unlink them from the table.
        bind.exec_driver_sql("PRAGMA secure_delete = ON")
    bind.execute(sa.delete(setting).where(setting.c.key.in_(MOVED)))


def downgrade() -> None:
    """The values stay with the user who upgraded; nothing goes back into the database."""
