"""Counts for the home screen, each one index-backed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from crm_tui.store.models import Claim, Deal, DealKind, Interaction, Partner


@dataclass(frozen=True)
class Overview:
    partners: int
    open_deals: int
    in_progress: int
    overdue: int
    open_claims: int


def overview(session: Session, now: datetime) -> Overview:
    """What the home screen shows."""

    def scalar(statement) -> int:  # type: ignore[no-untyped-def]
        return int(session.exec(statement).one())

    return Overview(
        partners=scalar(select(func.count()).select_from(Partner)),
        # Per kind, so that the board index (kind_id, status, …) answers it: a search of
        # the open deals instead of a scan of all of them.
        open_deals=scalar(select(func.count()).select_from(Deal).where(
            col(Deal.kind_id).in_(select(DealKind.id)),
            Deal.status == "open")),
        in_progress=scalar(
            select(func.count()).select_from(Interaction)
            .where(Interaction.status == "in_progress")
        ),
        overdue=scalar(
            select(func.count()).select_from(Interaction)
            .where(Interaction.status == "in_progress", Interaction.at < now)
        ),
        open_claims=scalar(select(func.count()).select_from(Claim).where(Claim.status == "open")),
    )
