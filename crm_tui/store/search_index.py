"""SQLite's partner search index, whose row ids follow the partners' name order.

The FTS5 table `partner_search` holds one document per partner. Its rowid is not the
partner's id but the partner's *label* (table `partner_label`, migration 0010): labels
increase with (name, id), so the index hands out a search's matches already in name order
and the list's first page is its first 50 matches, read in a tenth of a millisecond however
many partners match, instead of sorting the matches or walking the name index.

Triggers label a new or renamed partner halfway between its neighbours' labels. When two
neighbours have no free label between them (thousands of partners written in name order
into one gap) the partner gets an *unlabelled* label, UNLABELLED + its id, outside the
ordered range: searches sort those few matches by name and merge them with the ordered
ones. `relabel` spaces every partner's label evenly again; `merge_search_index` runs it when
some partners are unlabelled (after bulk imports and on `crm db optimize`).
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

UNLABELLED = 1 << 62  # labels below are in name order; UNLABELLED + id are not
SEARCH_TABLE = ("CREATE VIRTUAL TABLE partner_search USING fts5(body, tokenize = "
                "'unicode61 remove_diacritics 0', prefix = '1 2 3 4')")


def unlabelled(connection: Connection) -> int:
    """How many partners have no label in name order (0 on PostgreSQL)."""
    if connection.dialect.name != "sqlite":
        return 0
    return int(connection.exec_driver_sql(
        f"SELECT count(*) FROM partner_label WHERE label >= {UNLABELLED}").scalar_one())


def relabel(connection: Connection) -> None:
    """Give every partner an evenly spaced label in name order and rebuild the index with
    them (the documents are moved, not computed again). About 3 s for 100k partners."""
    run = connection.exec_driver_sql
    partners = int(run("SELECT count(*) FROM partner_label").scalar_one())
    spacing = UNLABELLED // (partners + 1)
    run("CREATE TEMP TABLE partner_relabel AS SELECT l.partner_id, l.label AS old, "
        f"row_number() OVER (ORDER BY p.name, p.id) * {spacing} AS new "
        "FROM partner_label l JOIN partner p ON p.id = l.partner_id")
    run("CREATE TEMP TABLE partner_document AS SELECT r.new AS label, s.body "
        "FROM partner_relabel r JOIN partner_search s ON s.rowid = r.old")
    run("DELETE FROM partner_label")
    run("INSERT INTO partner_label(partner_id, label) SELECT partner_id, new "
        "FROM partner_relabel")
    # Made again rather than emptied: deleting 100k documents one by one takes longer.
    run("DROP TABLE partner_search")
    run(SEARCH_TABLE)
    run("INSERT INTO partner_search(rowid, body) SELECT label, body FROM partner_document "
        "ORDER BY label")
    run("DROP TABLE partner_relabel")
    run("DROP TABLE partner_document")


def merge_search_index(connection: Connection) -> None:
    """Label every partner in name order and merge the index into one segment (no-op on
    PostgreSQL).

    Every write transaction adds a segment to the FTS5 index and merges only some of them,
    and a search reads each segment: after a bulk load of 100k partners (twelve segments) a
    search read 2-3x slower than from one. About 1.5 s for 100k partners (3 s more when
    some are unlabelled): run after bulk imports and by `crm db optimize`."""
    if connection.dialect.name != "sqlite":
        return
    if unlabelled(connection):
        relabel(connection)
    connection.exec_driver_sql("INSERT INTO partner_search(partner_search) VALUES ('optimize')")
