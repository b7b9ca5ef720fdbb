"""Big spreadsheet imports (issue 26: 100k rows): a chunk of rows looked up with a few
queries and written with `executemany`, and from `bulk_rows` on the indexes and the search
index made once at the end, store exactly what importing the rows one at a time stores."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from benchmarks.table_file import contact_rows, deal_rows, partner_rows, reference, write_csv
from crm_tui.exchange import table_import
from crm_tui.exchange.importer import import_lines
from crm_tui.exchange.table_file import open_table
from crm_tui.store.database import Database

SKIPPED_TABLES = ("alembic_version", "partner_label", "sqlite_stat1")


def _files(tmp_path: Path, rows: int, again: bool = False) -> dict[str, Path]:
    """The generated partners, contacts and deals, with rows that are already there:
    a partner, a contact and a deal again with something changed (updated), a partner of
    the same INN under another KPP (created), a row repeated as it was (unchanged).
    `again`: the deals without the first of the deal's two rows (a second run's file)."""
    partners = list(partner_rows(rows))
    changed = list(partners[3])
    changed[4] = "8 (495) 555-00-03"  # a new phone for the contact
    branch = list(partners[5])
    branch[3] = "770145001"  # another KPP: another legal entity, another partner
    partners += [changed, branch, partners[7]]
    contacts = [r for i, r in enumerate(contact_rows(rows)) if i != 5]  # partner 5: two now
    moved = list(contacts[2])
    moved[4] = "+7 916 555-00-01"  # another phone for the same person
    contacts += [moved, contacts[4]]
    deals = [r for i, r in enumerate(deal_rows(rows)) if i != 5]
    bigger = list(deals[6])
    bigger[5] = "1 000 000,00"
    deals += [bigger, deals[8]]
    if again:
        del deals[6]
    paths = {}
    for what, table in (("partners", partners), ("contacts", contacts), ("deals", deals)):
        paths[what] = tmp_path / f"{what}{'-again' if again else ''}.csv"
        write_csv(iter(table), paths[what], "cp1251")
    return paths


def _import(url: str, what: str, path: Path, bulk_rows: int) -> table_import.ImportSummary:
    database = Database.open(url)
    try:
        table = open_table(str(path), what)
        from crm_tui.domain.table_mapping import auto_map

        return table_import.run_import(database, what, auto_map(what, table.headers),
                                       table.rows(), on_duplicate="update",
                                       bulk_rows=bulk_rows)
    finally:
        database.close()


def _dump(url: str) -> dict[str, Any]:
    """Every table's rows, and each partner's search document (the index's row ids, the
    partners' labels, are spread afresh after a bulk load: only their order counts)."""
    database = Database.open(url)
    try:
        with database.read() as session:
            tables = [name for (name,) in session.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'partner_search%' ORDER BY name"))
                if name not in SKIPPED_TABLES]
            dump: dict[str, Any] = {name: sorted(
                tuple(map(str, row)) for row in session.execute(text(f'SELECT * FROM "{name}"')))
                for name in tables}
            dump["search"] = sorted(session.execute(text(
                "SELECT l.partner_id, s.body FROM partner_label l "
                "JOIN partner_search s ON s.rowid = l.label")).all())
            dump["search order"] = [r[0] for r in session.execute(text(
                "SELECT partner_id FROM partner_label ORDER BY label"))]
            return dump
    finally:
        database.close()


@pytest.fixture
def two_databases(tmp_path: Path, fixed_now: object) -> Iterator[tuple[str, str]]:
    urls = []
    for name in ("rows", "chunks"):
        url = f"sqlite:///{tmp_path / name}.sqlite3"
        database = Database.open(url)
        import_lines(database, [json.dumps(r, ensure_ascii=False) for r in reference()])
        database.close()
        urls.append(url)
    yield urls[0], urls[1]


def test_chunks_and_the_bulk_load_store_what_row_by_row_stores(
        two_databases: tuple[str, str], tmp_path: Path, fixed_now: object,
        monkeypatch: pytest.MonkeyPatch) -> None:
    one_by_one, chunked = two_databases
    paths = _files(tmp_path, 130)
    for what in ("partners", "contacts", "deals"):
        monkeypatch.setattr(table_import, "CHUNK_ROWS", 1)
        first = _import(one_by_one, what, paths[what], bulk_rows=10**9)
        monkeypatch.setattr(table_import, "CHUNK_ROWS", 40)
        second = _import(chunked, what, paths[what], bulk_rows=0)
        assert first.problems == [] and second.problems == []
        counts = (first.created, first.updated, first.unchanged, first.skipped)
        assert counts == (second.created, second.updated, second.unchanged, second.skipped)
        assert counts == ((131, 1, 1, 0) if what == "partners" else (129, 1, 1, 0))
    assert _dump(one_by_one) == _dump(chunked)
    paths = _files(tmp_path, 130, again=True)
    for url in two_databases:  # a second run changes nothing, whichever way
        before = _dump(url)
        for what in ("partners", "contacts", "deals"):
            again = _import(url, what, paths[what], bulk_rows=0 if url == chunked else 10**9)
            assert (again.created, again.updated, again.unchanged) == (0, 0, again.unchanged)
        assert _dump(url) == before


def test_a_big_file_takes_a_few_statements_a_chunk(
        two_databases: tuple[str, str], tmp_path: Path, fixed_now: object) -> None:
    """3000 partners (each with a legal entity, a contact, their audit rows): statements
    per chunk, not per row; the chunks are what the memory holds."""
    url = two_databases[1]
    path = tmp_path / "partners.csv"
    write_csv(partner_rows(3000), path, "utf-8-sig")
    statements = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    event.listen(Engine, "before_cursor_execute", count)
    try:
        summary = _import(url, "partners", path, bulk_rows=table_import.BULK_ROWS)
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    assert summary.created == 3000 and summary.written
    assert statements < 3000 / 10, statements
