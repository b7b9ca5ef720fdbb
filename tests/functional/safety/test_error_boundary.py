"""The error boundary: a failing save (disk full) or a bug in a worker does not end the app;
the user sees a short message, the typed input stays, and the traceback goes to the error
log (0600, without local variables). A handler's crash ends the app with one line naming
the log, never a traceback with locals."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from crm_tui import errorlog
from crm_tui.app import CrmApp
from crm_tui.store import repo_partners_read, repo_partners_write
from tests.functional.partners.conftest import partners_db  # noqa: F401  (the fixture)
from tests.functional.partners.test_card_actions import _card
from tests.support.screen import wait_until

SECRET = "Секрет-4242"


def notifications(app: CrmApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def check_log(*expected: str) -> str:
    path = errorlog.log_path()
    assert path.exists(), "no error log written"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    for part in expected:
        assert part in text
    assert SECRET not in text  # the typed value lived only in local variables
    return text


async def test_disk_full_on_save_keeps_the_app_and_the_input(
        partners_db: str, fixed_now: object,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: Any, **kwargs: Any) -> int:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(repo_partners_write, "update_partner", full)
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        card = await _card(app, pilot, "P1")
        name = card.query_one("#details-name", Input)
        name.value = SECRET
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: any("disk is full" in m for m in notifications(app)))
        await pilot.pause()
        assert app.is_running and app.screen is card
        assert card.query_one("#details-name", Input).value == SECRET
        [message] = [m for m in notifications(app) if "disk is full" in m]
        assert message.startswith("The disk is full: nothing was saved.")
        assert str(errorlog.log_path()) in message
    assert app.return_code in (0, None)
    text = check_log("sqlite3.OperationalError: database or disk is full", ", in full\n")
    assert "values = " not in text and "version = " not in text


async def test_a_bug_in_a_worker_is_logged_and_the_app_goes_on(
        partners_db: str, fixed_now: object,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = CrmApp(partners_db, language="ru")
    async with app.run_test(size=(120, 36)) as pilot:
        card = await _card(app, pilot, "P1")

        def bug(*args: Any, **kwargs: Any) -> None:
            secret = SECRET  # a local variable that must not reach the log
            raise ZeroDivisionError(len(secret) // 1000)

        monkeypatch.setattr(repo_partners_read, "get_partner", bug)
        card.load()  # the card reloads: the worker fails
        await wait_until(pilot, lambda: any("Непредвиденная ошибка" in m
                                          for m in notifications(app)))
        assert app.is_running and app.screen is card
        card.load()  # fails again: logged, not shown twice
        await wait_until(pilot, lambda: errorlog.log_path().read_text().count("--- ") == 2)
        await pilot.pause()
        assert len([m for m in notifications(app) if "Непредвиденная ошибка" in m]) == 1
    check_log("ZeroDivisionError: 0", ", in bug\n")


class _Crashing(CrmApp):
    """The crm app with a key whose handler has a bug (an event-loop error, not a worker's)."""

    def on_key(self, event: Any) -> None:
        if event.key == "f12":
            password = SECRET
            raise RuntimeError(f"handler bug {len(password)}")


async def test_a_crash_prints_one_line_without_locals(
        partners_db: str, fixed_now: object,  # noqa: F811
        capsys: pytest.CaptureFixture[str]) -> None:
    app = _Crashing(partners_db, language="en")
    with pytest.raises(RuntimeError, match="handler bug"):
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("f12")
            await pilot.pause()
    assert app.return_code == 1
    printed = capsys.readouterr().err
    expected = f"crm: unexpected error; the details are in {errorlog.log_path()}"
    assert "".join(printed.split()) == "".join(expected.split())  # wrapped to the terminal
    assert SECRET not in printed and "password" not in printed
    check_log("RuntimeError: handler bug 11")


def test_the_log_is_private_even_when_it_existed(tmp_path: Path) -> None:
    path = errorlog.log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("old\n")
    path.chmod(0o644)
    try:
        raise ValueError("x")
    except ValueError as error:
        assert errorlog.record(error) == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("old\n---")
