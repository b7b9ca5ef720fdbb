"""Optimistic locking: an update names the version it was based on, or is refused."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, update
from sqlmodel import Session, SQLModel

from crm_tui.domain.errors import ConflictError
from crm_tui.i18n import _


def update_versioned(
    session: Session, table_name: str, record_id: int, seen_version: int, values: dict[str, Any]
) -> int:
    """UPDATE one row only if its version is still `seen_version`; return the new version.

    Raises ConflictError when someone else saved the row in between (or deleted it)."""
    table: Table = SQLModel.metadata.tables[table_name]
    new_version = seen_version + 1
    result = session.execute(
        update(table)
        .where(table.c.id == record_id, table.c.version == seen_version)
        .values(**values, version=new_version)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(
            _("someone else changed this record after you opened it; reload or re-apply your edit")
        )
    return new_version
