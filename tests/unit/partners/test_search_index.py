"""The partner search index in name order (migration 0010): labels kept by triggers through
inserts, renames and deletes, unlabelled partners when a gap runs out, relabelling and
merging (after bulk imports, `crm db optimize`), and `crm check` on the labels."""

from __future__ import annotations

import importlib
import json
import random
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from crm_tui.cli.main import main
from crm_tui.exchange.importer import BULK_WRITES, import_lines
from crm_tui.store import search_partners
from crm_tui.store.database import Database
from crm_tui.store.maintenance import check
from crm_tui.store.search_index import UNLABELLED, merge_search_index
from crm_tui.store.search_partners import PartnerFilter

MIGRATION = importlib.import_module(
    "crm_tui.store.migrations.versions.0010_partner_name_labels")


def _sqlite(db: Database) -> sqlite3.Connection:
    return sqlite3.connect(db.url.removeprefix("sqlite:///"))


def _add_partners(db: Database, names: list[str], first: int = 0) -> None:
    """Partners written straight into SQLite, one transaction (the triggers index them)."""
    connection = _sqlite(db)
    connection.executemany("INSERT INTO partner(key, name, roles, version) VALUES (?, ?, 1, 1)",
                           ((f"X{i:05d}", name) for i, name in enumerate(names, first)))
    connection.commit()
    connection.close()


def _segments(db: Database) -> int:
    with db.read() as session:
        return int(session.connection().exec_driver_sql(
            "SELECT count(DISTINCT segid) FROM partner_search_idx").scalar_one())


def _unlabelled(db: Database) -> int:
    with db.read() as session:
        return int(session.connection().exec_driver_sql(
            f"SELECT count(*) FROM partner_label WHERE label >= {UNLABELLED}").scalar_one())


def _listed(db: Database, typed: str) -> list[str]:
    """Every partner the list shows for `typed`, page by page as the list reads them."""
    flt = PartnerFilter(text=typed)
    keys: list[str] = []
    with db.read() as session:
        page = search_partners.fetch_partners(session, flt, 0, 50)
        while page:
            keys.extend(hit.key for hit in page)
            page = search_partners.fetch_after(session, flt, (page[-1].name, page[-1].row_id),
                                               50)
    return keys


def _sorted(db: Database, word: str) -> list[str]:
    """The keys of partners whose name has a word starting with `word`, in name order."""
    connection = _sqlite(db)
    rows = connection.execute("SELECT key, name FROM partner ORDER BY name, id").fetchall()
    connection.close()
    return [key for key, name in rows
            if any(part.lower().startswith(word) for part in name.split())]


def _problems(db: Database) -> list[str]:
    return [problem.check for problem in check(db.engine)]


def test_labels_follow_the_names_through_inserts_renames_and_deletes(db: Database) -> None:
    chance = random.Random(7)
    words = ["Альфа", "Бета", "Гамма", "Дельта"]
    _add_partners(db, [f"{chance.choice(words)} {chance.randrange(500)}" for _ in range(600)])
    connection = _sqlite(db)
    for _ in range(200):
        partner_id = chance.randrange(1, 601)
        if chance.random() < 0.8:
            connection.execute("UPDATE partner SET name = ? WHERE id = ?",
                               (f"{chance.choice(words)} {chance.randrange(500)}", partner_id))
        else:
            connection.execute("DELETE FROM partner WHERE id = ?", (partner_id,))
        connection.commit()
    connection.close()
    assert _problems(db) == []
    for word in ("альфа", "бета", "г"):
        assert _listed(db, word) == _sorted(db, word)


def test_a_full_gap_leaves_partners_unlabelled_and_merging_labels_them(db: Database) -> None:
    _add_partners(db, ["Альфа", "Омега"])
    # Each partner written just after the one before, between "Альфа" and "Омега": the gap
    # halves each time and runs out after about sixty.
    _add_partners(db, [f"Бета {i:03d}" for i in range(100)], first=2)
    assert 0 < _unlabelled(db) < 100
    assert _problems(db) == []
    expected = _sorted(db, "бета")
    assert _listed(db, "бета") == expected
    with db.read() as session:  # the end of the list, read backwards
        flt = PartnerFilter(text="бета")
        end = search_partners.fetch_from_end(session, flt, 90, 10, 100)
    assert [hit.key for hit in end] == expected[-10:]

    with db.write() as session:
        merge_search_index(session.connection())
    assert _unlabelled(db) == 0 and _segments(db) == 1
    assert _problems(db) == []
    assert _listed(db, "бета") == expected
    with db.read() as session:  # documents moved with their labels: still found by INN etc.
        assert search_partners.count_partners(session, PartnerFilter(text="омега")) == 1


def _labels(db: Database) -> dict[int, int]:
    connection = _sqlite(db)
    labels = dict(connection.execute("SELECT partner_id, label FROM partner_label"))
    connection.close()
    return labels


def test_labelling_again_moves_only_the_run_of_unlabelled_partners(db: Database) -> None:
    _add_partners(db, [f"Альфа {i:03d}" for i in range(200)])  # each after the last
    _add_partners(db, ["Омега"], first=200)
    assert _unlabelled(db) == 0
    _add_partners(db, [f"Бета {i:03d}" for i in range(100)], first=201)  # one gap, in order
    before = _labels(db)
    run = {partner_id for partner_id, label in before.items() if label >= UNLABELLED}
    assert run
    with db.write() as session:
        merge_search_index(session.connection())
    after = _labels(db)
    assert max(after.values()) < UNLABELLED and _problems(db) == []
    # The Альфа partners kept their labels; the Бета run (and Омега after it) moved.
    assert all(after[i] == before[i] for i in range(1, 201))
    assert _listed(db, "бета") == _sorted(db, "бета")


def test_labels_crowded_at_the_end_are_spread_over_every_partner(db: Database) -> None:
    _add_partners(db, ["Ягода"])
    connection = _sqlite(db)  # the last label next to the end of the ordered range
    connection.execute(f"INSERT INTO partner_search(rowid, body) SELECT {UNLABELLED - 3}, body "
                       "FROM partner_search")
    connection.execute(f"DELETE FROM partner_search WHERE rowid != {UNLABELLED - 3}")
    connection.execute(f"UPDATE partner_label SET label = {UNLABELLED - 3}")
    connection.commit()
    connection.close()
    _add_partners(db, [f"Ягода {i:03d}" for i in range(20)], first=1)  # each after the last
    assert _unlabelled(db) > 0
    with db.write() as session:
        merge_search_index(session.connection())
    assert _unlabelled(db) == 0 and _problems(db) == []
    assert _listed(db, "ягода") == _sorted(db, "ягода")


def test_the_index_is_merged_after_a_bulk_import(db: Database) -> None:
    def partners(first: int, count: int) -> list[str]:
        return [json.dumps({"type": "partner", "id": f"P{i}", "name": f"Партнёр {i}",
                            "roles": ["client"]}, ensure_ascii=False)
                for i in range(first, first + count)]

    import_lines(db, partners(0, 10))
    import_lines(db, partners(10, 10))
    assert _segments(db) >= 2  # each write transaction added a segment
    import_lines(db, partners(100, BULK_WRITES))
    assert _segments(db) == 1 and _unlabelled(db) == 0
    with db.read() as session:
        found = search_partners.count_partners(session, PartnerFilter(text="партнер"))
    assert found == BULK_WRITES + 20


def test_crm_db_optimize_merges_and_labels(db: Database,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    _add_partners(db, ["Альфа", "Омега"])
    _add_partners(db, [f"Гамма {i:03d}" for i in range(80)], first=2)
    assert _unlabelled(db) > 0 and _segments(db) >= 2
    assert main(["db", "optimize", "--db", db.url.removeprefix("sqlite:///")]) == 0
    assert "search index merged" in capsys.readouterr().out
    assert _segments(db) == 1 and _unlabelled(db) == 0
    assert _listed(db, "гам") == _sorted(db, "гамма")


def test_crm_db_optimize_on_a_new_database(tmp_path: Path) -> None:
    assert main(["db", "optimize", "--db", str(tmp_path / "new.sqlite3")]) == 0


@pytest.mark.parametrize("before", [True, False])
def test_a_new_partner_finds_its_neighbours_through_the_name_index(db: Database,
                                                                   before: bool) -> None:
    _add_partners(db, [f"Партнёр {i}" for i in range(2000)])
    sql = MIGRATION.neighbour_sql(":name", ":id", before)
    with db.read() as session:
        plan = " | ".join(str(row[3]) for row in session.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {sql}", {"name": "Партнёр 5", "id": 9999}).all())
    assert "SEARCH p USING COVERING INDEX ix_partner_name" in plan, plan
    assert "SEARCH l USING INTEGER PRIMARY KEY" in plan, plan
    assert "TEMP B-TREE" not in plan and "SCAN p" not in plan and "SCAN l" not in plan, plan


def test_a_long_run_in_name_order_stays_cheap_and_is_labelled_by_merging(db: Database) -> None:
    """Partners written in name order into one gap: once NEAR of them in a row are
    unlabelled, the next ones stop looking for a labelled neighbour (a short walk, not the
    whole run); pages are right all along, and merging labels them."""
    _add_partners(db, ["Альфа", "Омега"])
    _add_partners(db, [f"Бета {i:04d}" for i in range(1500)], first=2)
    assert _unlabelled(db) > 1400
    assert _problems(db) == []
    assert _listed(db, "бета") == _sorted(db, "бета")
    with db.write() as session:
        merge_search_index(session.connection())
    assert _unlabelled(db) == 0 and _problems(db) == []
    assert _listed(db, "бета") == _sorted(db, "бета")


def test_downgrading_to_0009_keeps_every_partner_searchable(db: Database) -> None:
    from alembic import command

    from crm_tui.store.migrate import alembic_config, head_revision

    _add_partners(db, ["Альфа", "Омега"])
    _add_partners(db, [f"Бета {i:03d}" for i in range(80)], first=2)  # some unlabelled
    for step, revision in ((command.downgrade, "0009_partner_search_merged"),
                           (command.upgrade, head_revision())):
        with db.engine.connect() as connection:
            connection = connection.execution_options(crm_write=True)
            with connection.begin():
                step(alembic_config(connection), revision)
        with db.read() as session:
            found = search_partners.count_partners(session, PartnerFilter(text="бета"))
            assert found == 80
        if step is command.downgrade:  # the index's rowid is the partner's id again
            connection_ = _sqlite(db)
            assert connection_.execute("SELECT count(*) FROM partner_search s JOIN partner p "
                                       "ON p.id = s.rowid").fetchone()[0] == 82
            connection_.close()
    assert _unlabelled(db) == 0 and _problems(db) == []
    assert _listed(db, "бета") == _sorted(db, "бета")


def test_crm_check_finds_labels_out_of_order(db: Database) -> None:
    _add_partners(db, ["Альфа", "Бета", "Гамма"])
    assert _problems(db) == []
    with db.write() as session:  # two labels swapped behind the triggers' back
        session.execute(text(f"UPDATE partner_label SET label = label + {UNLABELLED} "
                             "WHERE partner_id = 1"))
        session.execute(text("UPDATE partner_label SET label = (SELECT label FROM "
                             "partner_label WHERE partner_id = 3) + 1 WHERE partner_id = 2"))
    assert "partners" in _problems(db)


_NAMES = st.text(alphabet="АаБбЁёZz 1-", max_size=5)
_STEPS = st.lists(st.tuples(st.sampled_from(["add", "add", "rename", "delete", "contact"]),
                            st.integers(0, 30), _NAMES), max_size=40)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=_STEPS)
def test_any_writes_keep_the_labels_in_name_order(db: Database,
                                                  steps: list[tuple[str, int, str]]) -> None:
    connection = _sqlite(db)
    connection.execute("DELETE FROM contact")
    connection.execute("DELETE FROM partner")
    for number, (step, which, name) in enumerate(steps):
        if step == "add":
            connection.execute("INSERT INTO partner(key, name, roles, version) "
                               "VALUES (?, ?, 1, 1)", (f"H{number}", name))
        else:
            row = connection.execute("SELECT id FROM partner ORDER BY id LIMIT 1 OFFSET ?",
                                     (which,)).fetchone()
            if row is None:
                continue
            if step == "rename":
                connection.execute("UPDATE partner SET name = ? WHERE id = ?", (name, row[0]))
            elif step == "contact":
                connection.execute("INSERT INTO contact(key, partner_id, name, phones, emails, "
                                   "version) VALUES (?, ?, ?, '[]', '', 1)",
                                   (f"K{number}", row[0], name or "-"))
            else:
                # The raw connection has no foreign keys: delete the contacts as the app would.
                connection.execute("DELETE FROM contact WHERE partner_id = ?", (row[0],))
                connection.execute("DELETE FROM partner WHERE id = ?", (row[0],))
        connection.commit()
    connection.close()
    assert _problems(db) == []
