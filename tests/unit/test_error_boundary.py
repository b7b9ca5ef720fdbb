"""crm_tui/tui_compat_errors.py overrides two private methods of Textual's App.
These checks fail when a Textual upgrade changes them: then re-read Textual's
App._handle_exception / App._fatal_error (and the places that call them) and adapt the
boundary, or drop it if Textual gained a public hook."""

from __future__ import annotations

import inspect
from importlib.metadata import version

from textual.app import App
from textual.worker import Worker, WorkerFailed

from crm_tui.tui_compat_errors import ErrorBoundaryApp, user_message


def test_textual_is_the_version_the_boundary_was_written_for() -> None:
    assert version("textual") == "8.2.8", "re-check crm_tui/tui_compat_errors.py"


def test_the_private_hooks_still_exist_with_their_signatures() -> None:
    assert list(inspect.signature(App._handle_exception).parameters) == ["self", "error"]
    assert list(inspect.signature(App._fatal_error).parameters) == ["self"]
    assert "_fatal_error()" in inspect.getsource(App._handle_exception)
    assert "show_locals=True" in inspect.getsource(App._fatal_error)  # why we override it
    # a worker's error still reaches the app wrapped in WorkerFailed
    assert "app._handle_exception(worker_failed)" in inspect.getsource(Worker._run)
    assert "error" in inspect.signature(WorkerFailed).parameters
    assert ErrorBoundaryApp._handle_exception is not App._handle_exception


def test_user_messages_by_kind() -> None:
    import errno
    import sqlite3

    assert user_message(sqlite3.OperationalError("database or disk is full")).startswith(
        "The disk is full")
    assert user_message(OSError(errno.ENOSPC, "No space")).startswith("The disk is full")
    assert user_message(sqlite3.OperationalError("disk I/O error")).startswith(
        "The database could not be read or written")
    assert user_message(sqlite3.DatabaseError("malformed")).startswith("The database reported")
    assert user_message(ZeroDivisionError()).startswith("Unexpected error")


def test_a_database_error_does_not_quote_the_values(db: object) -> None:
    """What a statement wrote (a typed value, a saved SMTP password) is not in a database
    error's message, so the error log never holds it."""
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from crm_tui import errorlog
    from crm_tui.store.database import Database

    assert isinstance(db, Database)
    with pytest.raises(IntegrityError) as caught, db.write() as session:
        session.execute(text("INSERT INTO setting (key, value) VALUES (:k, :v)"),
                        [{"k": "smtp_password", "v": "пароль-1"},
                         {"k": "smtp_password", "v": "пароль-2"}])
    errorlog.record(caught.value)
    logged = errorlog.log_path().read_text(encoding="utf-8")
    assert "INSERT INTO setting" in logged and "hidden due to hide_parameters" in logged
    assert "пароль" not in logged
