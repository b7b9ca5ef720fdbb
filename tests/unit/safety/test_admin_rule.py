"""Who may become administrator: the account that creates a database is its administrator;
where there is none (a database filled by `crm import`), only the database's owner may name
one, and `crm users` says how. Another OS account is faked through identity.os_uid."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

import pytest
from sqlmodel import select

from crm_tui.cli.main import main
from crm_tui.domain import identity
from crm_tui.domain.errors import PermissionDenied
from crm_tui.store.database import Database
from crm_tui.store.models import User
from crm_tui.store.repo_users import set_role
from crm_tui.store.users import ensure_current_user
from tests.conftest import small_jsonl_path
from tests.support.login import set_login_for_tests

OTHER_UID = 54321  # an account that does not own the test's files


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A database filled by `crm import`: users, none of them an administrator."""
    path = tmp_path / "office.sqlite3"
    assert main(["--db", str(path), "import", str(small_jsonl_path())]) == 0
    capsys.readouterr()
    return path


def _roles(path: Path) -> dict[str, str]:
    database = Database.open(f"sqlite:///{path}")
    try:
        with database.read() as session:
            return {user.login: user.role for user in session.exec(select(User))}
    finally:
        database.close()


def _as_other_account(monkeypatch: pytest.MonkeyPatch, login: str) -> None:
    monkeypatch.setattr(identity, "os_uid", lambda: OTHER_UID)
    set_login_for_tests(login)


def test_import_makes_no_administrator(imported: Path) -> None:
    assert "admin" not in _roles(imported).values()


def test_stranger_cannot_make_itself_administrator(imported: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    _as_other_account(monkeypatch, "intruder")
    assert main(["--db", str(imported), "users", "set-role", "intruder", "admin"]) == 1
    err = capsys.readouterr().err
    owner = pwd.getpwuid(os.stat(imported).st_uid).pw_name
    assert err.strip() == (f"crm: this database has no administrator; only its owner ({owner}) "
                           "can name one: crm users set-role LOGIN admin")
    assert "admin" not in _roles(imported).values()
    # An imported manager fares no better.
    _as_other_account(monkeypatch, "ivanov")
    assert main(["--db", str(imported), "users", "set-role", "ivanov", "admin"]) == 1
    assert "admin" not in _roles(imported).values()


def test_opening_first_does_not_make_a_stranger_administrator(
        imported: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _as_other_account(monkeypatch, "intruder")
    database = Database.open(f"sqlite:///{imported}")
    try:
        with database.write() as session:  # what the app does on a user's first start
            assert ensure_current_user(session).role == "manager"
    finally:
        database.close()
    assert _roles(imported)["intruder"] == "manager"


def test_users_says_how_to_name_an_administrator(imported: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(imported), "users"]) == 0
    out = capsys.readouterr().out
    assert "ivanov" in out
    assert "this database has no administrator; only its owner" in out
    assert "crm users set-role LOGIN admin" in out


def test_owner_names_an_administrator(imported: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    set_login_for_tests("owner")  # the account owning the file (the real uid)
    assert main(["--db", str(imported), "users", "set-role", "petrova", "admin"]) == 0
    assert "petrova is now Administrator" in capsys.readouterr().out
    assert _roles(imported)["petrova"] == "admin"
    # From now on the administrators decide; the owner's own row was made administrator
    # as the database's owner, a stranger is a manager.
    _as_other_account(monkeypatch, "intruder")
    database = Database.open(f"sqlite:///{imported}")
    try:
        with pytest.raises(PermissionDenied, match="only an administrator"), \
                database.write() as session:
            set_role(session, "intruder", "admin")
    finally:
        database.close()
    assert "this database has no administrator" not in capsys.readouterr().out


def test_the_creator_of_a_database_is_its_administrator(tmp_path: Path) -> None:
    database = Database.open(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    try:
        set_login_for_tests("creator")
        with database.write() as session:
            assert ensure_current_user(session).role == "admin"
        set_login_for_tests("second")
        with database.write() as session:
            assert ensure_current_user(session).role == "manager"
    finally:
        database.close()


def test_server_roles_sql_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "server-roles", "--prefix", "office"]) == 0
    out = capsys.readouterr().out
    assert "CREATE ROLE office_admins NOLOGIN IN ROLE office_supervisors" in out
    assert "ALTER TABLE deal ENABLE ROW LEVEL SECURITY;" in out
    assert main(["db", "server-roles", "--prefix", "x; DROP TABLE deal"]) == 2
    assert "the prefix must be" in capsys.readouterr().err
