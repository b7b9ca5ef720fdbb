"""partners: the search index's row ids follow the name order (SQLite)

The partner list shows a search's matches in name order. With the index's rowid being the
partner's id, its first page had to sort every match or walk the name index testing each
partner (about 1 ms for "аг", 4,500 of 100k partners, and more for longer pages). Now each
partner has a *label* (`partner_label`) increasing with (name, id), and the index's rowid
is that label: the index gives the matches in name order, and a page is its first rows.

Triggers (replacing 0002's) label a new or renamed partner halfway between the labels of
its neighbours in name order (a fixed STEP after the last or before the first), or, when
there is no free label between them, UNLABELLED + its id (`crm_tui.store.search_index`);
documents of partners are found through their labels. The index is made again with the
labels, evenly spaced, and also indexes the first four characters of every token (a
four-letter word was the slowest to search).
The search document is 0002's (BODY), unchanged.

Revision ID: 0010_partner_name_labels
Revises: 0009_partner_search_merged
Create Date: 2026-11-27
"""

from __future__ import annotations

import importlib

from alembic import op

revision = "0010_partner_name_labels"
down_revision = "0009_partner_search_merged"
branch_labels = None
depends_on = None

_0002 = importlib.import_module("crm_tui.store.migrations.versions.0002_partners_search_index")
BODY: str = _0002.BODY
UNLABELLED = 1 << 62
STEP = 1 << 40  # between partners added after the last one: room for 4 million of them
NEAR = 16  # partners looked at on each side for a labelled neighbour
TABLE = ("CREATE VIRTUAL TABLE partner_search USING fts5(body, tokenize = "
         "'unicode61 remove_diacritics 0', prefix = '{prefix}')")


def neighbour_sql(name: str, id_: str, before: bool) -> str:
    """SQL for the label of the nearest labelled partner before (or after) the partner
    (`name`, `id_`) in name order, among its NEAR nearest partners (a short walk of the name
    index): 0 (UNLABELLED after) when there is no partner on that side, NULL when those
    NEAR are all unlabelled (a long run written in name order: the walk stays short)."""
    if before:
        where, order = f"p.name <= {name} AND (p.name < {name} OR p.id < {id_})", "DESC"
        nearest, missing = "max", "0"
    else:
        where, order = f"p.name >= {name} AND (p.name > {name} OR p.id > {id_})", "ASC"
        nearest, missing = "min", str(UNLABELLED)
    # Labels grow with the name: the nearest labelled partner has the max (min) label.
    return (f"SELECT CASE WHEN found IS NOT NULL THEN found WHEN near < {NEAR} "
            f"THEN {missing} END FROM (SELECT {nearest}(CASE WHEN l.label < {UNLABELLED} "
            f"THEN l.label END) AS found, count(*) AS near FROM (SELECT p.id FROM partner p "
            f"WHERE {where} ORDER BY p.name {order}, p.id {order} LIMIT {NEAR}) n "
            f"CROSS JOIN partner_label l ON l.partner_id = n.id)")


def label_sql(name: str, id_: str) -> str:
    """SQL for the label of partner (`name`, `id_`): halfway between its neighbours', or a
    STEP on from the last (or before the first) so that partners written in name order do
    not halve the space left each time; UNLABELLED + id when the neighbours leave no room
    or no labelled neighbour is near."""
    return (f"(SELECT CASE WHEN prev IS NULL OR next IS NULL OR next - prev < 2 "
            f"THEN {UNLABELLED} + {id_} "
            f"WHEN next = {UNLABELLED} AND prev > 0 THEN prev + min({STEP}, (next - prev) / 2) "
            f"WHEN prev = 0 AND next < {UNLABELLED} THEN next - min({STEP}, next / 2) "
            f"ELSE prev + (next - prev) / 2 END FROM (SELECT "
            f"({neighbour_sql(name, id_, True)}) AS prev, "
            f"({neighbour_sql(name, id_, False)}) AS next))")


def _document(partner_id: str) -> str:
    return (f"INSERT INTO partner_search(rowid, body) SELECT l.label, {BODY} FROM partner p "
            f"JOIN partner_label l ON l.partner_id = p.id WHERE p.id = {partner_id};\n")


def _refresh(partner_ids: str) -> str:
    """Statements (for a trigger body) that rebuild the documents of `partner_ids` (SQL)."""
    return (
        "DELETE FROM partner_search WHERE rowid IN (SELECT label FROM partner_label "
        f"WHERE partner_id IN ({partner_ids}));\n"
        f"INSERT INTO partner_search(rowid, body) SELECT l.label, {BODY} FROM partner p "
        f"JOIN partner_label l ON l.partner_id = p.id WHERE p.id IN ({partner_ids});\n"
    )


_FORGET = ("DELETE FROM partner_search WHERE rowid = "
           "(SELECT label FROM partner_label WHERE partner_id = OLD.id);\n"
           "DELETE FROM partner_label WHERE partner_id = OLD.id;\n")
_LABEL = ("INSERT INTO partner_label(partner_id, label) VALUES "
          f"(NEW.id, {label_sql('NEW.name', 'NEW.id')});\n")

TRIGGERS: dict[str, str] = {
    "partner_search_ai": "AFTER INSERT ON partner BEGIN\n" + _LABEL + _document("NEW.id")
    + "END",
    "partner_search_au": "AFTER UPDATE OF name ON partner WHEN NEW.name IS NOT OLD.name "
    "BEGIN\n" + _FORGET + _LABEL + _document("NEW.id") + "END",
    "partner_search_ad": "AFTER DELETE ON partner BEGIN\n" + _FORGET + "END",
    "partner_search_link_ai": "AFTER INSERT ON partner_counterparty BEGIN\n"
    + _refresh("NEW.partner_id") + "END",
    "partner_search_link_ad": "AFTER DELETE ON partner_counterparty BEGIN\n"
    + _refresh("OLD.partner_id") + "END",
    "partner_search_cp_au": "AFTER UPDATE ON counterparty BEGIN\n"
    + _refresh("SELECT partner_id FROM partner_counterparty WHERE counterparty_id = NEW.id")
    + "END",
    "partner_search_contact_ai": "AFTER INSERT ON contact BEGIN\n"
    + _refresh("NEW.partner_id") + "END",
    "partner_search_contact_au": "AFTER UPDATE ON contact BEGIN\n"
    + _refresh("SELECT NEW.partner_id UNION SELECT OLD.partner_id") + "END",
    "partner_search_contact_ad": "AFTER DELETE ON contact BEGIN\n"
    + _refresh("OLD.partner_id") + "END",
}


def _replace_triggers(triggers: dict[str, str]) -> None:
    for name in triggers:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for name, body in triggers.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def _remake_index(prefix: str, rowid: str, source: str) -> None:
    """partner_search made again with `prefix` indexes, each document under `rowid` (an
    expression over `source`, which has columns `id` and `body`)."""
    op.execute("CREATE TEMP TABLE partner_search_copy AS SELECT rowid AS id, body "
               "FROM partner_search")
    op.execute("DROP TABLE partner_search")
    op.execute(TABLE.format(prefix=prefix))
    op.execute(f"INSERT INTO partner_search(rowid, body) SELECT {rowid}, body FROM {source} "
               "ORDER BY 1")
    op.execute("DROP TABLE partner_search_copy")
    op.execute("INSERT INTO partner_search(partner_search) VALUES ('optimize')")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE TABLE partner_label (partner_id INTEGER PRIMARY KEY, "
               "label INTEGER NOT NULL)")
    # Unique on the label alone (it holds partner_id too, the rowid): a label given twice
    # fails the write instead of hiding a document.
    op.execute("CREATE UNIQUE INDEX ix_partner_label ON partner_label (label)")
    spacing = UNLABELLED // (int(op.get_bind().exec_driver_sql(
        "SELECT count(*) FROM partner").scalar_one()) + 1)
    op.execute("INSERT INTO partner_label(partner_id, label) SELECT id, "
               f"row_number() OVER (ORDER BY name, id) * {spacing} FROM partner")
    _remake_index("1 2 3 4", "l.label",
                  "partner_search_copy c JOIN partner_label l ON l.partner_id = c.id")
    _replace_triggers(TRIGGERS)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _remake_index("1 2 3", "l.partner_id",
                  "partner_search_copy c JOIN partner_label l ON l.label = c.id")
    _replace_triggers(_0002.TRIGGERS)
    op.execute("DROP TABLE partner_label")
