"""The optional `attachments` of interactions (an e-mail's files) in the exchange format."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from pathlib import Path

import pytest

from crm_tui.domain.mail_message import parse
from crm_tui.exchange.errors import ImportFailed
from crm_tui.exchange.exporter import export_file, export_lines
from crm_tui.exchange.importer import import_file, import_lines
from crm_tui.store import repo_mail
from crm_tui.store.database import Database
from tests.unit.interactions.helpers import load

MAIL = (b"From: oleg@x.example\r\nSubject: Files\r\nMessage-ID: <f@x>\r\n"
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
        b"Content-Type: text/plain\r\n\r\nsee attached\r\n--b\r\n"
        b"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(b"%PDF-1.4 x")
        + b"\r\n--b--\r\n")


def test_exported_imported_and_exported_again_unchanged(db: Database, fixed_now: datetime,
                                                        tmp_path: Path) -> None:
    load(db)
    with db.write() as session:
        stored = repo_mail.store_incoming(session, parse(MAIL))
    assert stored is not None
    first = tmp_path / "first.jsonl"
    export_file(db, first)
    record = next(json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()
                  if f'"id": "{stored.key}"' in line)
    assert record["attachments"] == [{"name": "a.pdf", "content_base64":
                                      base64.b64encode(b"%PDF-1.4 x").decode()}]
    # Interactions without files carry no such field.
    assert all("attachments" not in json.loads(line) for line in export_lines(db)
               if '"type": "interaction"' in line and stored.key not in line)
    again = Database.open(f"sqlite:///{tmp_path / 'again.sqlite3'}")
    import_file(again, first)
    with again.read() as session:
        files = repo_mail.list_files(session, stored.key)
        assert repo_mail.file_content(session, files[0].id) == b"%PDF-1.4 x"
    second = tmp_path / "second.jsonl"
    export_file(again, second)
    assert second.read_bytes() == first.read_bytes()
    # Importing the record again replaces its files instead of adding to them.
    import_file(again, first)
    with again.read() as session:
        assert len(repo_mail.list_files(session, stored.key)) == 1
    again.close()


def test_bad_attachments_are_refused_with_the_line(db: Database) -> None:
    record = {"type": "interaction", "id": "I9", "kind": "email", "topic": "t",
              "at": "2026-01-01T10:00:00", "status": "done",
              "attachments": [{"name": "a.bin", "content_base64": "***"}]}
    with pytest.raises(ImportFailed) as raised:
        import_lines(db, [json.dumps(record)])
    assert "1: attachments[1].content_base64: not valid base64" in str(raised.value)
