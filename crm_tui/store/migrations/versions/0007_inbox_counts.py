"""interactions: the inbox's counts kept by triggers (SQLite), and "due" indexes that
also hold review_after

The inbox shows how many items it has: counting 350k in-progress interactions of 2M read
that many index entries (about 50 ms, the largest part of opening the inbox). SQLite now
keeps the number of interactions per (status, kind, manager) in `interaction_total`,
updated by triggers on interaction in the writer's own transaction; the in-progress count
is that number less the snoozed ones, a short range of ix_interaction_status_review
(`repo_interactions_lists.inbox_count`). With the partner filter, and on PostgreSQL, the
interactions are counted themselves.

The in-progress page skips snoozed items (review_after later than now), which come first
in "due" order; with review_after in the index the skipping reads the index alone instead
of each skipped row (id comes before it, so that the index still gives the page's order,
due then id).

A later migration that rebuilds the interaction table in batch mode drops these triggers
with the old table and must create them again (TRIGGERS below); `crm check` compares the
table with the interactions.

Revision ID: 0007_inbox_counts
Revises: 0006_deal_board_total
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_inbox_counts"
down_revision = "0006_deal_board_total"
branch_labels = None
depends_on = None

DUE = sa.text("coalesce(review_after, at)")
# The "due" indexes of 0003 whose queries filter on review_after: (name, columns before due).
DUE_INDEXES: dict[str, list[str]] = {
    "ix_interaction_status_due": ["status"],
    "ix_interaction_manager_status_due": ["manager_id", "status"],
}
# manager_key: the manager's id, 0 for none (a primary key column is never NULL).
TABLE = """CREATE TABLE interaction_total (
    status TEXT NOT NULL,
    kind TEXT NOT NULL,
    manager_key INTEGER NOT NULL,
    items INTEGER NOT NULL,
    PRIMARY KEY (status, kind, manager_key)
) WITHOUT ROWID"""


def _count(row: str, sign: str) -> str:
    """A trigger statement adding (sign '+') or taking away ('-') the interaction `row`."""
    return (
        "INSERT INTO interaction_total (status, kind, manager_key, items) VALUES"
        f" ({row}.status, {row}.kind, coalesce({row}.manager_id, 0), {sign}1)"
        " ON CONFLICT (status, kind, manager_key) DO UPDATE SET items = items + excluded.items;\n"
    )


TRIGGERS: dict[str, str] = {
    "interaction_total_ai": "AFTER INSERT ON interaction BEGIN\n" + _count("NEW", "+") + "END",
    "interaction_total_ad": "AFTER DELETE ON interaction BEGIN\n" + _count("OLD", "-") + "END",
    "interaction_total_au": (
        "AFTER UPDATE OF status, kind, manager_id ON interaction BEGIN\n"
        + _count("OLD", "-") + _count("NEW", "+") + "END"
    ),
}
FILL = (
    "INSERT INTO interaction_total (status, kind, manager_key, items)"
    " SELECT status, kind, coalesce(manager_id, 0), count(*) FROM interaction"
    " GROUP BY status, kind, coalesce(manager_id, 0)"
)


REVIEW_INDEX = "ix_interaction_status_review"


def upgrade() -> None:
    for name, columns in DUE_INDEXES.items():
        op.drop_index(name, table_name="interaction")
        op.create_index(name, "interaction", [*columns, DUE, "id", "review_after"])
    # The snoozed count with a kind or manager filter reads this index alone.
    op.drop_index(REVIEW_INDEX, table_name="interaction")
    op.create_index(REVIEW_INDEX, "interaction",
                    ["status", "review_after", "id", "kind", "manager_id"])
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(TABLE)
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute(FILL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS interaction_total")
    for name, columns in DUE_INDEXES.items():
        op.drop_index(name, table_name="interaction")
        op.create_index(name, "interaction", [*columns, DUE])
    op.drop_index(REVIEW_INDEX, table_name="interaction")
    op.create_index(REVIEW_INDEX, "interaction", ["status", "review_after"])
