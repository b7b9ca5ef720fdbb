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
ones. `label_unlabelled` labels them again, spreading each run of them (and as few labelled
neighbours as it needs) over the labels around it; `merge_search_index` runs it after bulk
imports and on `crm db optimize`.
"""

from __future__ import annotations

import importlib

from sqlalchemy.engine import Connection

UNLABELLED = 1 << 62  # labels below are in name order; UNLABELLED + id are not


def _after(connection: Connection, name: str, id_: int, limit: int
           ) -> list[tuple[int, str, int]]:
    """(id, name, label) of the `limit` partners after (name, id) in name order."""
    return [tuple(row) for row in connection.exec_driver_sql(
        "SELECT p.id, p.name, l.label FROM partner p CROSS JOIN partner_label l "
        "ON l.partner_id = p.id WHERE p.name >= :name AND (p.name > :name OR p.id > :id) "
        "ORDER BY p.name, p.id LIMIT :limit", {"name": name, "id": id_, "limit": limit}).all()]


def _run_from(connection: Connection, first: tuple[str, int]
              ) -> tuple[int, list[int], int]:
    """For the unlabelled partner `first` (name, id): the label before it, the partners to
    label again — it and the partners after it up to a label far enough on to leave a free
    label between each two of them —, and that label (UNLABELLED past the last partner)."""
    name, id_ = first
    before = connection.exec_driver_sql(
        "SELECT l.label FROM partner p CROSS JOIN partner_label l ON l.partner_id = p.id "
        "WHERE p.name <= :name AND (p.name < :name OR p.id < :id) "
        f"AND l.label < {UNLABELLED} ORDER BY p.name DESC, p.id DESC LIMIT 1",
        {"name": name, "id": id_}).scalar()
    start = int(before or 0)
    members = [id_]
    while True:
        rows = _after(connection, name, id_, 500)
        for row_id, row_name, label in rows:
            name, id_ = row_name, row_id
            if label < UNLABELLED and label - start > 2 * (len(members) + 1):
                return start, members, label
            members.append(row_id)
        if len(rows) < 500:
            if UNLABELLED - start > 2 * (len(members) + 1):
                return start, members, UNLABELLED
            # No room up to the end (labels crowded near the top): every partner anew.
            everyone = connection.exec_driver_sql(
                "SELECT id FROM partner ORDER BY name, id").scalars().all()
            return 0, [int(partner_id) for partner_id in everyone], UNLABELLED


def label_unlabelled(connection: Connection) -> int:
    """Label the unlabelled partners in name order, moving few documents: each run of them
    is spread between the labels around it, taking in the labelled partners after it until
    there is room. Returns how many partners were labelled again."""
    run = connection.exec_driver_sql
    moved = 0
    while True:
        first = run("SELECT p.name, p.id FROM partner_label l CROSS JOIN partner p "
                    f"ON p.id = l.partner_id WHERE l.label >= {UNLABELLED} "
                    "ORDER BY p.name, p.id LIMIT 1").first()
        if first is None:
            return moved
        start, members, end = _run_from(connection, (first[0], int(first[1])))
        step = (end - start) // (len(members) + 1)
        # Out of the way first (UNLABELLED + id is free for each), then to the new labels.
        for target in ([UNLABELLED + id_ for id_ in members],
                       [start + step * (index + 1) for index in range(len(members))]):
            for id_, label in zip(members, target, strict=True):
                old = run("SELECT label FROM partner_label WHERE partner_id = :id",
                          {"id": id_}).scalar_one()
                if old == label:
                    continue
                run("INSERT INTO partner_search(rowid, body) SELECT :new, body "
                    "FROM partner_search WHERE rowid = :old", {"new": label, "old": old})
                run("DELETE FROM partner_search WHERE rowid = :old", {"old": old})
                run("UPDATE partner_label SET label = :new WHERE partner_id = :id",
                    {"new": label, "id": id_})
        moved += len(members)


def merge_search_index(connection: Connection) -> None:
    """Label every partner in name order and merge the index into one segment (no-op on
    PostgreSQL).

    Every write transaction adds a segment to the FTS5 index and merges only some of them,
    and a search reads each segment: after a bulk load of 100k partners (twelve segments) a
    search read 2-3x slower than from one. About 1.5 s for 100k partners, plus a few
    statements per partner labelled again: run after bulk imports and by `crm db optimize`."""
    if connection.dialect.name != "sqlite":
        return
    label_unlabelled(connection)
    connection.exec_driver_sql("INSERT INTO partner_search(partner_search) VALUES ('optimize')")


def rebuild_search_index(connection: Connection) -> None:
    """Label every partner afresh, evenly spaced in name order, and write every document
    again (as migration 0010 first made them): after a bulk load, whose rows went in with
    the index's triggers dropped (store/bulk_load.py)."""
    # The document's SQL is the triggers' own: 0014's (0002's with INN and phone suffixes;
    # 0002's alone left bulk-loaded partners unfound by the end of their INN or phone).
    body = importlib.import_module("crm_tui.store.migrations.versions.0014_keys").BODY
    run = connection.exec_driver_sql
    spacing = UNLABELLED // (int(run("SELECT count(*) FROM partner").scalar_one()) + 1)
    run("DELETE FROM partner_label")
    run("INSERT INTO partner_label(partner_id, label) SELECT id, "
        f"row_number() OVER (ORDER BY name, id) * {spacing} FROM partner")
    run("DELETE FROM partner_search")
    run(f"INSERT INTO partner_search(rowid, body) SELECT l.label, {body} FROM partner p "
        "JOIN partner_label l ON l.partner_id = p.id ORDER BY l.label")
