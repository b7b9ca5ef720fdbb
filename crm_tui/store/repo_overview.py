"""Counts for the home screen, each one index-backed (or kept by triggers).

Plain SQL on a connection, without the ORM: the home screen's counts are the app's first
data, and importing the ORM and its models would delay them by ~300 ms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.engine import Connection


@dataclass(frozen=True)
class Overview:
    partners: int
    open_deals: int
    in_progress: int
    overdue: int
    open_claims: int


def overview(connection: Connection, now: datetime) -> Overview:
    """What the home screen shows. The open deals and the interactions in progress come
    from the counts kept by triggers (migrations 0006, 0007; 0017 on PostgreSQL): counting
    350k interactions twice and 150k deals took most of the home screen's 80 ms."""

    def scalar(sql: str) -> int:
        return int(connection.execute(text(sql), {"now": now}).scalar() or 0)

    open_deals = scalar("SELECT sum(deals) FROM deal_board_total WHERE status = 'open'")
    in_progress = scalar("SELECT sum(items) FROM interaction_total "
                         "WHERE status = 'in_progress'")
    # Overdue: in progress and due before now, that is all of them but the few later.
    overdue = in_progress - scalar("SELECT count(*) FROM interaction "
                                   "WHERE status = 'in_progress' AND at >= :now")
    return Overview(
        partners=scalar("SELECT count(*) FROM partner"),
        open_deals=open_deals,
        in_progress=in_progress,
        overdue=overdue,
        open_claims=scalar("SELECT count(*) FROM claim WHERE status = 'open'"),
    )
