"""PostgreSQL: one search document per partner (`partner.search_doc`), kept by triggers

The partner search united the ids of every matching partner, legal entity and contact
(0004, 0017) before it could take the first page in name order: a one-letter search of the
huge demo set (100k partners, 175k contacts) took 1.1–1.4 s per keystroke. With the whole
document on the partner row, a page is `WHERE search_doc LIKE … ORDER BY name LIMIT 50`:
for a frequent prefix the planner walks the name index and tests each row, stopping at the
page; for a rare one the trigram index on the document finds the few rows.

The document joins the stored folded texts of 0017, each part after " |" (a token never
matches across two parts): the partner's name, then each legal entity's text, its INN
between "!" (digits from inside an INN), its phone's digits between quotes, then each
contact's text and phones (store/search_partners_pg.py builds the patterns). Statement
triggers over transition tables recompute the documents of the partners a statement
touched (one UPDATE per statement of an import, not one per row); a partner's own name is
folded by a row trigger before it is written. No-op on SQLite (its FTS5 index, 0002/0010).

Revision ID: 0019_pgfloors
Revises: 0018_claim_plan
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0019_pgfloors"
down_revision = "0018_claim_plan"
branch_labels = None
depends_on = None

# The document of partner `pid` named `pname` (0017's fold of the name, then the parts).
DOCUMENT = """
CREATE FUNCTION partner_search_doc(pid integer, pname text) RETURNS text
LANGUAGE sql STABLE AS $$
SELECT ' ' || translate(regexp_replace(lower(pname), '[^[:alnum:]]+', ' ', 'g'), 'ё', 'е')
  || coalesce((SELECT string_agg(' |' || c.search_text || ' | !' || c.inn || '! '
                                 || c.search_phone || '"', '' ORDER BY c.id)
               FROM partner_counterparty pc JOIN counterparty c ON c.id = pc.counterparty_id
               WHERE pc.partner_id = pid), '')
  || coalesce((SELECT string_agg(' |' || t.search_text || ' | ' || t.search_phone, ''
                                 ORDER BY t.id)
               FROM contact t WHERE t.partner_id = pid), '')
$$
"""
# (table, event, the partners whose documents a statement's rows touch)
PARTNERS_OF = {
    "contact": "SELECT partner_id FROM {rows}",
    "partner_counterparty": "SELECT partner_id FROM {rows}",
    "counterparty": ("SELECT pc.partner_id FROM partner_counterparty pc"
                     " WHERE pc.counterparty_id IN (SELECT id FROM {rows})"),
}
EVENTS = {"insert": ("new_rows",), "delete": ("old_rows",), "update": ("old_rows", "new_rows")}


def _function(table: str, event: str) -> str:
    return f"partner_search_doc_{table}_{event}"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE partner ADD COLUMN search_doc text")
    op.execute(DOCUMENT)
    op.execute("CREATE FUNCTION partner_search_doc_own() RETURNS trigger LANGUAGE plpgsql AS $$"
               " BEGIN NEW.search_doc := partner_search_doc(NEW.id, NEW.name); RETURN NEW;"
               " END $$")
    op.execute("CREATE TRIGGER partner_search_doc_own BEFORE INSERT OR UPDATE OF name"
               " ON partner FOR EACH ROW EXECUTE FUNCTION partner_search_doc_own()")
    for table, partners in PARTNERS_OF.items():
        for event, sources in EVENTS.items():
            if table == "counterparty" and event != "update":
                continue  # a legal entity joins a partner by partner_counterparty's rows
            touched = " UNION ".join(partners.format(rows=rows) for rows in sources)
            name = _function(table, event)
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
                       f" BEGIN UPDATE partner SET search_doc = partner_search_doc(id, name)"
                       f" WHERE id IN ({touched}); RETURN NULL; END $$")
            transitions = " ".join(
                f"{'NEW' if rows == 'new_rows' else 'OLD'} TABLE AS {rows}" for rows in sources)
            op.execute(f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table}"
                       f" REFERENCING {transitions} FOR EACH STATEMENT"
                       f" EXECUTE FUNCTION {name}()")
    op.execute("UPDATE partner SET search_doc = partner_search_doc(id, name)")
    op.execute("CREATE INDEX ix_partner_search_doc ON partner"
               " USING gin (search_doc gin_trgm_ops)")
    # The pages walk the name index in (name, id) order.
    op.execute("CREATE INDEX ix_partner_name_id ON partner (name, id)")
    op.execute("ANALYZE partner")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in PARTNERS_OF:
        for event in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS {_function(table, event)} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {_function(table, event)}()")
    op.execute("DROP TRIGGER IF EXISTS partner_search_doc_own ON partner")
    op.execute("DROP FUNCTION IF EXISTS partner_search_doc_own()")
    op.execute("DROP FUNCTION IF EXISTS partner_search_doc(integer, text)")
    op.execute("DROP INDEX IF EXISTS ix_partner_name_id")
    op.execute("DROP INDEX IF EXISTS ix_partner_search_doc")
    op.execute("ALTER TABLE partner DROP COLUMN IF EXISTS search_doc")
