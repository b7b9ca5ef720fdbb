"""Attachments: stored in the database, limit, safe saved copies, viewer."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest

from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.store import attachments as files
from crm_tui.store import repo_claims as repo
from crm_tui.store.audit import history
from crm_tui.store.database import Database
from crm_tui.store.settings import set_setting
from tests.support.login import set_login_for_tests
from tests.unit.claims.helpers import claim_record, load


@pytest.fixture
def data(db: Database, fixed_now: datetime) -> Database:
    load(db, claim_record("CL-1"), claim_record(
        "CL-2", status="satisfied", resolved_at="2026-01-12T10:00", resolution="ok", posted=True))
    set_login_for_tests("ivanov")
    return db


def test_round_trip_with_hostile_name(data: Database, tmp_path: Path) -> None:
    content = b"secret \x00 bytes" * 100
    with data.write() as s:
        info = files.add_attachment(s, "CL-1", "../../x", content)
    assert info.name == "x" and info.size == len(content)
    assert info.sha256 == hashlib.sha256(content).hexdigest()
    with data.read() as s:
        listed = repo.get_claim(s, "CL-1").attachments
        name, stored = files.attachment_content(s, info.id)
        log = history(s, "claim", "CL-1")
    assert listed == (info,) and stored == content
    assert log[0].field == "attachment" and log[0].new == "x"
    folder = tmp_path / "out"
    folder.mkdir()
    first = files.save_copy(folder, "../../x", stored)
    second = files.save_copy(folder, name, stored)
    assert first == folder.resolve() / "x" and first.read_bytes() == content
    assert second.name == "x (2)"
    assert not (tmp_path / "x").exists()
    assert files.save_copy(folder, "/etc/passwd", b"1").parent == folder.resolve()
    assert files.save_copy(folder, "a\x00b", b"1").name == "a_b"


def test_save_copy_does_not_follow_symlinks(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep")
    (folder / "x").symlink_to(victim)
    path = files.save_copy(folder, "x", b"evil")
    assert path.name == "x (2)" and victim.read_bytes() == b"keep"


def test_limit_refused_clearly(data: Database, tmp_path: Path) -> None:
    with data.write() as s:
        set_setting(s, "attachment_limit_mb", 1)
    big = b"x" * (1024 * 1024 + 1)
    with pytest.raises(ValidationError, match="limit is 1 MB"), data.write() as s:
        files.add_attachment(s, "CL-1", "big.bin", big)
    path = tmp_path / "big.bin"
    path.write_bytes(big)
    with pytest.raises(ValidationError, match="limit"):
        files.read_source_file(str(path), 1)
    with pytest.raises(ValidationError, match="no such file"):
        files.read_source_file(str(tmp_path / "missing"), 1)
    with data.read() as s:
        assert files.limit_mb(s) == 1


def test_posted_claim_refuses_files(data: Database) -> None:
    with pytest.raises(DomainError, match="read-only"), data.write() as s:
        files.add_attachment(s, "CL-2", "a.txt", b"1")


def test_delete(data: Database) -> None:
    with data.write() as s:
        info = files.add_attachment(s, "CL-1", "a.txt", b"1")
        assert info.mime == "text/plain"
    with data.write() as s:
        files.delete_attachment(s, "CL-1", info.id)
    with data.read() as s:
        assert repo.get_claim(s, "CL-1").attachments == ()


def test_viewer_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files.shutil, "which", lambda _name: None)
    assert files.viewer_command() is None
    with pytest.raises(ValidationError, match="no system viewer"):
        files.open_with_viewer("a.txt", b"1")


def test_viewer_called(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(files.shutil, "which", lambda name: "/usr/bin/xdg-open")
    monkeypatch.setattr(files.subprocess, "Popen", lambda args, **_kw: calls.append(args))
    path = files.open_with_viewer("../../x.txt", b"1")
    assert path.name == "x.txt" and calls == [["/usr/bin/xdg-open", str(path)]]
