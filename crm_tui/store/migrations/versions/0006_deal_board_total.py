"""deals: the board's column counts and sums kept by triggers (SQLite)

Opening the deals board read every open deal of the kind through ix_deal_board_totals to
count and sum its columns (15–25 ms on 300k deals, the largest part of opening the
board). SQLite now keeps those figures per (kind, status, stage, manager) in
`deal_board_total`, a few hundred rows updated by triggers on deal in the writer's own
transaction, so rows written by any code path (the app, the importer, another session) are
counted. The board reads it in well under a millisecond; with the region filter, and on
PostgreSQL, it still counts the deals themselves (`repo_deals.column_totals`).

A later migration that rebuilds the deal table in batch mode drops these triggers with the
old table and must create them again (TRIGGERS below); `crm check` compares the table with
the deals.

Revision ID: 0006_deal_board_total
Revises: 0005_deals_totals
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0006_deal_board_total"
down_revision = "0005_deals_totals"
branch_labels = None
depends_on = None

# stage_key: the stage id, 0 for deals without a stage (a primary key column is never NULL).
TABLE = """CREATE TABLE deal_board_total (
    kind_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    stage_key INTEGER NOT NULL,
    manager_id INTEGER NOT NULL,
    deals INTEGER NOT NULL,
    amount_minor INTEGER NOT NULL,
    PRIMARY KEY (kind_id, status, stage_key, manager_id)
) WITHOUT ROWID"""


def _count(row: str, sign: str) -> str:
    """A trigger statement adding (sign '+') or taking away ('-') the deal `row` (NEW/OLD)."""
    return (
        "INSERT INTO deal_board_total (kind_id, status, stage_key, manager_id, deals,"
        f" amount_minor) VALUES ({row}.kind_id, {row}.status, coalesce({row}.stage_id, 0),"
        f" {row}.manager_id, {sign}1, {sign}{row}.amount_minor)"
        " ON CONFLICT (kind_id, status, stage_key, manager_id) DO UPDATE SET"
        " deals = deals + excluded.deals, amount_minor = amount_minor + excluded.amount_minor;\n"
    )


TRIGGERS: dict[str, str] = {
    "deal_board_total_ai": "AFTER INSERT ON deal BEGIN\n" + _count("NEW", "+") + "END",
    "deal_board_total_ad": "AFTER DELETE ON deal BEGIN\n" + _count("OLD", "-") + "END",
    "deal_board_total_au": (
        "AFTER UPDATE OF kind_id, status, stage_id, manager_id, amount_minor ON deal BEGIN\n"
        + _count("OLD", "-") + _count("NEW", "+") + "END"
    ),
}
FILL = (
    "INSERT INTO deal_board_total (kind_id, status, stage_key, manager_id, deals, amount_minor)"
    " SELECT kind_id, status, coalesce(stage_id, 0), manager_id, count(*), sum(amount_minor)"
    " FROM deal GROUP BY kind_id, status, coalesce(stage_id, 0), manager_id"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(TABLE)
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute(FILL)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS deal_board_total")
