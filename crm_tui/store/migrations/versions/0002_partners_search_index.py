"""partners: full-text search index over name, INN, phones and e-mails

SQLite: an FTS5 table `partner_search` (rowid = partner.id) kept current by triggers on
partner, counterparty, partner_counterparty and contact, so rows written by any code path
(the app, the importer, another session) are searchable. Text is folded ё→е on the way in;
unicode61 folds Cyrillic and Latin case. Phones are indexed as digits, with and without the
+7 country code. PostgreSQL: pg_trgm GIN indexes for the same columns.

Revision ID: 0002_partners
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0002_partners"
down_revision = "0001"
branch_labels = None
depends_on = None


def _digits(expression: str) -> str:
    """SQL that keeps only the digits of a phone written with usual punctuation."""
    for char in (" ", "(", ")", "-", "+", "."):
        expression = f"replace({expression}, '{char}', '')"
    return expression


# The search document of partner `p` (an alias bound by the caller).
BODY = f"""replace(replace(
  p.name
  || ' ' || coalesce((SELECT group_concat(c.inn || ' ' || coalesce(c.kpp, '') || ' '
        || c.short_name || ' ' || c.full_name || ' ' || coalesce(c.phone, '') || ' '
        || {_digits("coalesce(c.phone, '')")}, ' ')
      FROM partner_counterparty pc JOIN counterparty c ON c.id = pc.counterparty_id
      WHERE pc.partner_id = p.id), '')
  || ' ' || coalesce((SELECT group_concat(ct.name || ' ' || ct.emails, ' ')
      FROM contact ct WHERE ct.partner_id = p.id), '')
  || ' ' || coalesce((SELECT group_concat({_digits("j.value")} || ' '
        || CASE WHEN j.value LIKE '+7%' THEN substr(j.value, 3) ELSE '' END, ' ')
      FROM contact ct, json_each(CASE WHEN json_valid(ct.phones) THEN ct.phones ELSE '[]' END) j
      WHERE ct.partner_id = p.id), ''),
  'ё', 'е'), 'Ё', 'Е')"""


def refresh_sql(partner_ids: str) -> str:
    """Statements (for a trigger body) that rebuild the documents of `partner_ids` (SQL)."""
    return (
        f"DELETE FROM partner_search WHERE rowid IN ({partner_ids});\n"
        f"INSERT INTO partner_search(rowid, body) SELECT p.id, {BODY} FROM partner p "
        f"WHERE p.id IN ({partner_ids});\n"
    )


TRIGGERS: dict[str, str] = {
    "partner_search_ai": "AFTER INSERT ON partner BEGIN\n" + refresh_sql("NEW.id") + "END",
    "partner_search_au": "AFTER UPDATE OF name ON partner BEGIN\n" + refresh_sql("NEW.id") + "END",
    "partner_search_ad": "AFTER DELETE ON partner BEGIN\n"
    "DELETE FROM partner_search WHERE rowid = OLD.id;\nEND",
    "partner_search_link_ai": "AFTER INSERT ON partner_counterparty BEGIN\n"
    + refresh_sql("NEW.partner_id") + "END",
    "partner_search_link_ad": "AFTER DELETE ON partner_counterparty BEGIN\n"
    + refresh_sql("OLD.partner_id") + "END",
    "partner_search_cp_au": "AFTER UPDATE ON counterparty BEGIN\n"
    + refresh_sql("SELECT partner_id FROM partner_counterparty WHERE counterparty_id = NEW.id")
    + "END",
    "partner_search_contact_ai": "AFTER INSERT ON contact BEGIN\n"
    + refresh_sql("NEW.partner_id") + "END",
    "partner_search_contact_au": "AFTER UPDATE ON contact BEGIN\n"
    + refresh_sql("SELECT NEW.partner_id UNION SELECT OLD.partner_id") + "END",
    "partner_search_contact_ad": "AFTER DELETE ON contact BEGIN\n"
    + refresh_sql("OLD.partner_id") + "END",
}

PG_INDEXES: dict[str, str] = {
    "ix_partner_name_trgm": "partner USING gin (lower(name) gin_trgm_ops)",
    "ix_counterparty_inn_trgm": "counterparty USING gin (inn gin_trgm_ops)",
    "ix_contact_phones_trgm": "contact USING gin (phones gin_trgm_ops)",
    "ix_contact_emails_trgm": "contact USING gin (lower(emails) gin_trgm_ops)",
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE partner_search USING fts5("
            "body, tokenize = 'unicode61 remove_diacritics 0')"
        )
        for name, body in TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        op.execute(f"INSERT INTO partner_search(rowid, body) SELECT p.id, {BODY} FROM partner p")
    elif dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, target in PG_INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON {target}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS partner_search")
    elif dialect == "postgresql":
        for name in PG_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
