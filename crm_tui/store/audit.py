"""The change history: who changed what and when, in the same transaction as the change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from crm_tui.domain import clock
from crm_tui.store.models import ChangeLog
from crm_tui.store.users import current_login


@dataclass(frozen=True)
class HistoryEntry:
    """One change, as the history panel of a record shows it."""

    at: datetime
    user: str
    action: str
    field: str | None
    old: str | None
    new: str | None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def record(
    session: Session,
    entity: str,
    key: str,
    action: str,
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> None:
    """Write audit rows for one action on one record.

    `action` is insert, update, delete, post, unpost or import; `changes` maps a field to
    its (old, new) values. An action without field changes still writes one row."""
    at = clock.now()
    login = current_login()
    rows = [
        ChangeLog(at=at, user_login=login, entity=entity, record_key=key, action=action,
                  field=name, old=_text(old), new=_text(new))
        for name, (old, new) in (changes or {}).items()
        if old != new
    ]
    if not rows:
        rows = [ChangeLog(at=at, user_login=login, entity=entity, record_key=key, action=action)]
    session.add_all(rows)


def history(session: Session, entity: str, key: str, limit: int = 500) -> list[HistoryEntry]:
    """The newest `limit` changes of one record, newest first."""
    statement = (
        select(ChangeLog)
        .where(ChangeLog.entity == entity, ChangeLog.record_key == key)
        .order_by(col(ChangeLog.id).desc())
        .limit(limit)
    )
    return [
        HistoryEntry(row.at, row.user_login, row.action, row.field, row.old, row.new)
        for row in session.exec(statement)
    ]
