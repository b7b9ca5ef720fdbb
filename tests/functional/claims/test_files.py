"""Claim files through the form: attach with the path prompt, save a copy (hostile name
`../../x` stays in the folder), open without a viewer, size limit."""

from __future__ import annotations

import base64
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input

from crm_tui.app import CrmApp
from crm_tui.screens.claims.form import ClaimFormScreen
from crm_tui.screens.claims.form_files import ClaimFiles, PathPrompt, complete_path
from crm_tui.store import attachments
from tests.functional.claims.helpers import SIZE, prepare, wait_until
from tests.support.screen import wait_for_database
from tests.unit.claims.helpers import claim_record


def notified(app: Any, text: str) -> bool:
    return any(text in n.message for n in app._notifications)


async def test_attach_save_copy_and_open(db_url: str, fixed_now: datetime, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    secret = b"hostile content"
    prepare(db_url, claim_record("CL-1", attachments=[
        {"name": "../../x", "content_base64": base64.b64encode(secret).decode()}]))
    upload = tmp_path / "photo.png"
    upload.write_bytes(b"\x89PNG data")
    out = tmp_path / "deep" / "out"
    out.mkdir(parents=True)
    monkeypatch.setattr(attachments, "viewer_command", lambda: None)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        screen = ClaimFormScreen(claim_key="CL-1")
        app.push_screen(screen)
        await wait_until(pilot, lambda: screen.data is not None)
        files = screen.query_one(ClaimFiles)
        await wait_until(pilot, lambda: len(files.files) == 1)
        files.query_one(DataTable).focus()
        await pilot.press("s")  # save a copy of "../../x"
        await wait_until(pilot, lambda: isinstance(app.screen, PathPrompt))
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        await wait_until(pilot, lambda: files.last_saved is not None)
        assert files.last_saved == out.resolve() / "x"
        assert (out / "x").read_bytes() == secret
        assert not (tmp_path / "x").exists() and not (tmp_path / "deep" / "x").exists()
        await pilot.press("o")  # no viewer here
        await wait_until(pilot, lambda: notified(app, "no system viewer"))
        await pilot.press("n")  # attach through the path prompt
        await wait_until(pilot, lambda: isinstance(app.screen, PathPrompt))
        app.screen.query_one(Input).value = str(upload)
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(files.files) == 2)
        assert files.files[1].name == "photo.png" and files.files[1].mime == "image/png"


async def test_limit_refused(db_url: str, fixed_now: datetime, tmp_path: Path) -> None:
    prepare(db_url, claim_record("CL-1"))
    from crm_tui.store.database import Database
    from crm_tui.store.settings import set_setting

    database = Database.open(db_url)
    with database.write() as session:
        set_setting(session, "attachment_limit_mb", 0.001)
    database.close()
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 5000)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        screen = ClaimFormScreen(claim_key="CL-1")
        app.push_screen(screen)
        await wait_until(pilot, lambda: screen.data is not None)
        files = screen.query_one(ClaimFiles)
        files.attach("CL-1", str(big))
        await wait_until(pilot, lambda: notified(app, "limit is 0.001 MB"))
        assert files.files == []


def test_path_completion(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "readme.txt").write_text("1")
    assert complete_path(str(tmp_path / "rea")) == str(tmp_path / "readme.txt")
    assert complete_path(str(tmp_path / "rep")) == str(tmp_path / "reports") + "/"
    assert complete_path(str(tmp_path / "zzz")) is None
    assert complete_path("") is None
