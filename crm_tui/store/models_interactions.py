"""Indexes the interaction screens need on top of models.py (migrations 0003_interactions
and 0007_inbox_counts).

The inbox orders by "due" = coalesce(review_after, at) (see domain.interactions); these
expression indexes let it page that order on millions of rows without sorting."""

from __future__ import annotations

from sqlalchemy import Index, func

from crm_tui.store.models import Interaction

_table = Interaction.__table__  # type: ignore[attr-defined]
DUE = func.coalesce(_table.c.review_after, _table.c.at)

INDEXES: tuple[Index, ...] = (
    Index("ix_interaction_status_due", _table.c.status, DUE, _table.c.id,
          _table.c.review_after),
    Index("ix_interaction_manager_status_due", _table.c.manager_id, _table.c.status, DUE,
          _table.c.id, _table.c.review_after),
    Index("ix_interaction_kind_status_due", _table.c.kind, _table.c.status, DUE),
    Index("ix_interaction_due", DUE),
)
