"""Import -> export -> import -> export is byte-identical; re-import updates; attachments."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from sqlalchemy import text

from crm_tui.exchange.demo import generate, load_demo
from crm_tui.exchange.exporter import export_file, export_lines
from crm_tui.exchange.importer import import_file, import_lines
from crm_tui.store.database import Database
from tests.conftest import small_jsonl_path
from tests.unit.exchange.helpers import BASE, count_rows, lines


def _round_trip(first: Database, tmp_path: Path) -> None:
    one = tmp_path / "one.jsonl"
    two = tmp_path / "two.jsonl"
    export_file(first, one)
    second = Database.open(f"sqlite:///{tmp_path / 'second.sqlite3'}")
    try:
        import_file(second, one)
        export_file(second, two)
    finally:
        second.close()
    assert one.read_bytes() == two.read_bytes()


def test_round_trip_small_jsonl(small_db: Database, tmp_path: Path) -> None:
    _round_trip(small_db, tmp_path)
    exported = (tmp_path / "one.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(exported) == len([x for x in small_jsonl_path().read_text().splitlines() if x])
    assert exported[0].startswith('{"type": "region", "code": ')


def test_round_trip_demo_small(db: Database, tmp_path: Path) -> None:
    counts = load_demo(db, "small", seed=3)
    assert counts["partner"] == 50 and counts["deal"] > 0
    _round_trip(db, tmp_path)


def test_demo_is_deterministic() -> None:
    assert list(generate("small", 5)) == list(generate("small", 5))
    assert list(generate("small", 5)) != list(generate("small", 6))


def test_export_format_details(small_db: Database) -> None:
    exported = list(export_lines(small_db))
    deal = next(line for line in exported if '"type": "deal"' in line)
    assert '"amount": "' in deal and '"created_at": "' in deal
    assert all(":00\"" in part or "T" not in part for part in deal.split(", ") if '"at"' in part)
    contact = next(line for line in exported if '"type": "contact"' in line)
    assert '"phones": ["+7' in contact


def test_reimport_updates_instead_of_duplicating(db: Database) -> None:
    import_lines(db, lines(BASE))
    before = count_rows(db)
    changed = [dict(record) for record in BASE]
    changed[-1] = {**changed[-1], "topic": "Новая тема"}
    import_lines(db, lines(changed))
    after = count_rows(db)
    assert {k: v for k, v in after.items() if k != "change_log"} == \
        {k: v for k, v in before.items() if k != "change_log"}
    with db.read() as session:
        topic = session.execute(text("SELECT topic, version FROM interaction")).one()
    assert topic == ("Новая тема", 2)


def test_reimport_replaces_child_lists(db: Database) -> None:
    import_lines(db, lines(BASE))
    changed = [dict(record) for record in BASE]
    deal = next(i for i, r in enumerate(changed) if r["type"] == "deal")
    changed[deal] = {**changed[deal], "status": "open", "closed_at": None,
                     "stages": [{"stage": "lead", "at": "2025-01-01T10:00"}]}
    del changed[deal]["closed_at"]
    import_lines(db, lines(changed))
    with db.read() as session:
        assert session.execute(text("SELECT COUNT(*) FROM deal_stage_entry")).scalar_one() == 1


def test_import_writes_one_audit_row(db: Database) -> None:
    import_lines(db, lines(BASE))
    with db.read() as session:
        rows = session.execute(text("SELECT action FROM change_log")).all()
    assert rows == [("import",)]


def test_attachments_come_back_byte_identical(db: Database, tmp_path: Path) -> None:
    content = bytes(range(256)) * 3
    records = [dict(record) for record in BASE]
    claim = next(i for i, r in enumerate(records) if r["type"] == "claim")
    records[claim] = {**records[claim], "attachments": [
        {"name": "scan.pdf", "content_base64": base64.b64encode(content).decode()}]}
    import_lines(db, lines(records))
    with db.read() as session:
        row = session.execute(
            text("SELECT name, size, sha256, mime, content FROM attachment")).one()
    assert row == ("scan.pdf", len(content), hashlib.sha256(content).hexdigest(),
                   "application/pdf", content)
    exported = "\n".join(export_lines(db))
    assert base64.b64encode(content).decode() in exported


def test_task_done_at_is_an_optional_addition(db: Database, tmp_path: Path) -> None:
    """A done task's done_at goes out only when set and comes back as it was; files
    without it (the spec's) round-trip as before (test_round_trip_small_jsonl)."""
    from tests.unit.exchange.helpers import base_with, problems_of

    tasks = [{"name": "Позвонить", "description": "Клиенту", "due": "2025-03-05",
              "assignee": "ivanov", "done": True, "done_at": "2025-03-04T17:20"},
             {"name": "Написать", "description": "Письмо", "done": True}]
    file_lines, _line = base_with("claim", "CL1", tasks=tasks)
    import_lines(db, file_lines)
    claim = next(line for line in export_lines(db) if '"type": "claim"' in line)
    assert ('"done": true, "done_at": "2025-03-04T17:20:00"}, {"name": "Написать", '
            '"description": "Письмо", "done": true}]') in claim
    _round_trip(db, tmp_path)
    open_task = [{"name": "Позвонить", "description": "Клиенту", "done": False,
                  "done_at": "2025-03-04T17:20"}]
    file_lines, line = base_with("claim", "CL1", tasks=open_task)
    assert any(number == line and "done_at" in message
               for number, message in problems_of(db, file_lines))
