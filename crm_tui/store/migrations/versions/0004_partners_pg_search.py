"""partners: index-backed PostgreSQL search with ё folded to е

Replaces the pg_trgm indexes of 0002 (raw lower(name), inn, phones, lower(emails), which the
search query could not use together) with GIN trigram indexes on the exact expressions the
search query matches (`crm_tui.store.search_partners_pg`): per table one folded word text
(lower case, ё→е, every run of non-alphanumerics one space, a leading space so
`LIKE '% token%'` is a word-prefix match) and one phone digit string. No-op on SQLite
(FTS5 `partner_search`, 0002).

Revision ID: 0004_partners_pg
Revises: 0003_interactions
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0004_partners_pg"
down_revision = "0003_interactions"
branch_labels = None
depends_on = None


def fold(expression: str) -> str:
    """SQL folding text like `search_partners_pg.fold_token` does: words, lower case, ё→е."""
    return (f"(' ' || translate(regexp_replace(lower({expression}), '[^[:alnum:]]+', ' ', 'g'),"
            f" 'ё', 'е'))")


# Kept in step with crm_tui/store/search_partners_pg.py (a unit test compares them).
PARTNER_TEXT = fold("name")
COUNTERPARTY_TEXT = fold(
    "inn || ' ' || coalesce(kpp, '') || ' ' || short_name || ' ' || full_name")
COUNTERPARTY_PHONE = "('\"' || regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'))"
CONTACT_TEXT = fold("name || ' ' || emails")
CONTACT_PHONE = "regexp_replace(phones, '[^0-9\"]', '', 'g')"

NEW_INDEXES: dict[str, str] = {
    "ix_partner_search_text": f"partner USING gin ({PARTNER_TEXT} gin_trgm_ops)",
    "ix_counterparty_search_text": f"counterparty USING gin ({COUNTERPARTY_TEXT} gin_trgm_ops)",
    "ix_counterparty_search_phone": f"counterparty USING gin ({COUNTERPARTY_PHONE} gin_trgm_ops)",
    "ix_contact_search_text": f"contact USING gin ({CONTACT_TEXT} gin_trgm_ops)",
    "ix_contact_search_phone": f"contact USING gin ({CONTACT_PHONE} gin_trgm_ops)",
}

OLD_INDEXES: dict[str, str] = {
    "ix_partner_name_trgm": "partner USING gin (lower(name) gin_trgm_ops)",
    "ix_counterparty_inn_trgm": "counterparty USING gin (inn gin_trgm_ops)",
    "ix_contact_phones_trgm": "contact USING gin (phones gin_trgm_ops)",
    "ix_contact_emails_trgm": "contact USING gin (lower(emails) gin_trgm_ops)",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name in OLD_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for name, target in NEW_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {target}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in NEW_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for name, target in OLD_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {target}")
