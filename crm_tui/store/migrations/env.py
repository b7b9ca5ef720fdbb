"""Alembic environment: runs on the connection that crm_tui.store.migrate hands over."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from crm_tui.store import models  # noqa: F401 - registers the tables on SQLModel.metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite alters tables by rebuilding them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
