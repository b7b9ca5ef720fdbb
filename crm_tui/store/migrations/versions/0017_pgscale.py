"""PostgreSQL: the board's and the inbox's counts kept as on SQLite (0006, 0007); the
partner search's folded texts stored

The partner search's folded texts (0004's indexed expressions) become stored generated
columns with the trigram indexes on them: a search reads the candidates the index finds and
rechecks each against the compared value, and recomputing the expression (regexp_replace)
took ~25 µs a row: 0.9 s for a one-letter search of the large set's 75k documents.

On the huge demo set in PostgreSQL, the home screen, the inbox and the deals board counted
their rows on every opening: 2M interactions and 300k deals (issue 24 §3,
benchmarks/pg_scale.py). PostgreSQL now keeps `deal_board_total` and `interaction_total`
as SQLite does, so the same reads answer on both backends (repo_overview, repo_deals,
repo_interactions_lists).

The triggers run once per statement over its transition tables (one grouped upsert for a
whole multi-row INSERT of an import, not one per row). Writers never contend for the
count rows: every write transaction already holds the one writer lock (store/pg.py). No-op
on SQLite, which has had them since 0006/0007.

Revision ID: 0017_pgscale
Revises: 0016_tasks
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0017_pgscale"
down_revision = "0016_tasks"
branch_labels = None
depends_on = None

# table -> (kept table's DDL, its key columns, the counted columns as (name, per-row value),
#           the key as selected from a row set, the FILL query's source)
KEPT: dict[str, tuple[str, str, tuple[tuple[str, str], ...], str]] = {
    "deal": (
        "CREATE TABLE deal_board_total (kind_id integer NOT NULL, status text NOT NULL,"
        " stage_key integer NOT NULL, manager_id integer NOT NULL, deals bigint NOT NULL,"
        " amount_minor bigint NOT NULL, PRIMARY KEY (kind_id, status, stage_key, manager_id))",
        "kind_id, status, stage_key, manager_id",
        (("deals", "1"), ("amount_minor", "amount_minor")),
        "kind_id, status, coalesce(stage_id, 0), manager_id",
    ),
    "interaction": (
        "CREATE TABLE interaction_total (status text NOT NULL, kind text NOT NULL,"
        " manager_key integer NOT NULL, items bigint NOT NULL,"
        " PRIMARY KEY (status, kind, manager_key))",
        "status, kind, manager_key",
        (("items", "1"),),
        "status, kind, coalesce(manager_id, 0)",
    ),
}
def fold(expression: str) -> str:
    """As 0004 (and search_partners_pg.fold_sql): lower case, ё→е, words, a leading space."""
    return (f"(' ' || translate(regexp_replace(lower({expression}), '[^[:alnum:]]+', ' ', 'g'),"
            f" 'ё', 'е'))")


# (table, column, the expression of 0004 it stores, 0004's index, the new index)
SEARCH_COLUMNS: tuple[tuple[str, str, str, str, str], ...] = (
    ("partner", "search_text", fold("name"), "ix_partner_search_text",
     "ix_partner_search_text_stored"),
    ("counterparty", "search_text",
     fold("inn || ' ' || coalesce(kpp, '') || ' ' || short_name || ' ' || full_name"),
     "ix_counterparty_search_text", "ix_counterparty_search_text_stored"),
    ("counterparty", "search_phone",
     "('\"' || regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'))",
     "ix_counterparty_search_phone", "ix_counterparty_search_phone_stored"),
    ("contact", "search_text", fold("name || ' ' || emails"), "ix_contact_search_text",
     "ix_contact_search_text_stored"),
    ("contact", "search_phone", "regexp_replace(phones, '[^0-9\"]', '', 'g')",
     "ix_contact_search_phone", "ix_contact_search_phone_stored"),
)
TOTAL = {"deal": "deal_board_total", "interaction": "interaction_total"}
# trigger event -> the transition tables it has, with the sign each row counts with
EVENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "insert": (("new_rows", "+"),),
    "delete": (("old_rows", "-"),),
    "update": (("old_rows", "-"), ("new_rows", "+")),
}


def _upsert(table: str, sources: tuple[tuple[str, str], ...]) -> str:
    """One statement adding the rows of the transition tables to the kept counts."""
    _ddl, key, counted, row_key = KEPT[table]
    names = ", ".join(name for name, _value in counted)
    parts = " UNION ALL ".join(
        f"SELECT {row_key}, {', '.join(f'{sign}{value}' for _name, value in counted)}"
        f" FROM {source}" for source, sign in sources)
    sums = ", ".join(f"sum(c{index})" for index in range(len(counted)))
    columns = ", ".join(f"c{index}" for index in range(len(counted)))
    keys = ", ".join(f"k{index}" for index in range(len(key.split(", "))))
    return (
        f"INSERT INTO {TOTAL[table]} ({key}, {names})"
        f" SELECT {keys}, {sums} FROM ({parts}) AS c({keys}, {columns}) GROUP BY {keys}"
        f" ON CONFLICT ({key}) DO UPDATE SET "
        + ", ".join(f"{name} = {TOTAL[table]}.{name} + excluded.{name}"
                    for name, _value in counted)
    )


def _function(table: str, event: str) -> str:
    return f"{TOTAL[table]}_{event}"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, (ddl, _key, _counted, row_key) in KEPT.items():
        op.execute(ddl)
        for event, sources in EVENTS.items():
            name = _function(table, event)
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
                       f" BEGIN {_upsert(table, sources)}; RETURN NULL; END $$")
            transitions = " ".join(
                f"{'NEW' if source == 'new_rows' else 'OLD'} TABLE AS {source}"
                for source, _sign in sources)
            op.execute(f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table}"
                       f" REFERENCING {transitions} FOR EACH STATEMENT"
                       f" EXECUTE FUNCTION {name}()")
        counted = KEPT[table][2]
        op.execute(
            f"INSERT INTO {TOTAL[table]} SELECT {row_key}, "
            + ", ".join("count(*)" if value == "1" else f"coalesce(sum({value}), 0)"
                        for _name, value in counted)
            + f" FROM {table} GROUP BY {row_key}")
    for table, column, expression, old_index, new_index in SEARCH_COLUMNS:
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} text"
                   f" GENERATED ALWAYS AS ({expression}) STORED")
        op.execute(f"DROP INDEX IF EXISTS {old_index}")
        op.execute(f"CREATE INDEX {new_index} ON {table} USING gin ({column} gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, expression, old_index, new_index in SEARCH_COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS {new_index}")
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}")
        op.execute(f"CREATE INDEX {old_index} ON {table} USING gin ({expression} gin_trgm_ops)")
    for table in KEPT:
        for event in EVENTS:
            name = _function(table, event)
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
        op.execute(f"DROP TABLE IF EXISTS {TOTAL[table]}")
