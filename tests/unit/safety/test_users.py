"""Roles: listing users, setting roles (administrators only), the CLI, permissions."""

from __future__ import annotations

import pytest
from sqlmodel import select

from crm_tui.cli.main import main
from crm_tui.domain.errors import NotFoundError, PermissionDenied, ValidationError
from crm_tui.store.database import Database
from crm_tui.store.models import ChangeLog, User
from crm_tui.store.permissions import check_admin, check_can_edit
from crm_tui.store.repo_users import list_users, set_role
from crm_tui.store.users import ensure_current_user
from tests.support.login import set_login_for_tests


@pytest.fixture
def users_db(db: Database) -> Database:
    """boss (the first user: administrator), then anna and oleg (managers)."""
    for login in ("boss", "anna", "oleg"):
        set_login_for_tests(login)
        with db.write() as session:
            ensure_current_user(session)
    set_login_for_tests("boss")
    return db


def _role(db: Database, login: str) -> str:
    with db.read() as session:
        return session.exec(select(User.role).where(User.login == login)).one()


def test_first_user_is_admin_and_list_is_ordered(users_db: Database) -> None:
    with users_db.read() as session:
        users = list_users(session)
    assert [(u.login, u.role) for u in users] == [
        ("anna", "manager"), ("boss", "admin"), ("oleg", "manager")]


def test_admin_sets_role_with_audit(users_db: Database) -> None:
    with users_db.write() as session:
        view = set_role(session, "anna", "Supervisor")
    assert view.role == "supervisor" and _role(users_db, "anna") == "supervisor"
    with users_db.read() as session:
        rows = session.exec(select(ChangeLog).where(ChangeLog.entity == "user")).all()
    assert [(r.record_key, r.field, r.old, r.new, r.user_login) for r in rows] == [
        ("anna", "role", "manager", "supervisor", "boss")]


def test_non_admin_is_refused(users_db: Database) -> None:
    set_login_for_tests("anna")
    with pytest.raises(PermissionDenied, match="administrator"), users_db.write() as session:
        set_role(session, "oleg", "admin")
    assert _role(users_db, "oleg") == "manager"


def test_unknown_role_and_user(users_db: Database) -> None:
    with pytest.raises(ValidationError, match="manager, supervisor, admin"), \
            users_db.write() as session:
        set_role(session, "anna", "boss")
    with pytest.raises(NotFoundError), users_db.write() as session:
        set_role(session, "nobody", "admin")


def test_last_admin_keeps_the_role(users_db: Database) -> None:
    with pytest.raises(ValidationError, match="only administrator"), \
            users_db.write() as session:
        set_role(session, "boss", "manager")
    with users_db.write() as session:
        set_role(session, "anna", "admin")
    with users_db.write() as session:
        set_role(session, "boss", "manager")
    assert _role(users_db, "boss") == "manager"


def test_permissions_by_role(users_db: Database) -> None:
    with users_db.read() as session:
        anna_id = session.exec(select(User.id).where(User.login == "anna")).one()
    set_login_for_tests("oleg")
    with users_db.read() as session:
        with pytest.raises(PermissionDenied):
            check_can_edit(session, anna_id)
        with pytest.raises(PermissionDenied):
            check_admin(session)
        check_can_edit(session, None)
    set_login_for_tests("anna")
    with users_db.read() as session:
        check_can_edit(session, anna_id)
    set_login_for_tests("boss")
    with users_db.write() as session:
        set_role(session, "oleg", "supervisor")
    set_login_for_tests("oleg")
    with users_db.read() as session:
        check_can_edit(session, anna_id)
        with pytest.raises(PermissionDenied):
            check_admin(session)


def test_cli_lists_and_sets_roles(users_db: Database, db_url: str,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = db_url.removeprefix("sqlite:///")
    assert main(["--db", path, "users"]) == 0
    out = capsys.readouterr().out
    assert "anna" in out and "Administrator" in out and "* boss" in out
    assert main(["--db", path, "users", "set-role", "anna", "supervisor"]) == 0
    assert "anna is now Supervisor" in capsys.readouterr().out
    set_login_for_tests("oleg")
    assert main(["--db", path, "users", "set-role", "oleg", "admin"]) == 1
    err = capsys.readouterr().err
    assert "only an administrator can change user roles" in err
    assert "Traceback" not in err
    assert _role(users_db, "oleg") == "manager"
    set_login_for_tests("boss")
    assert main(["--db", path, "users", "set-role", "anna", "chief"]) == 1
    assert "unknown role" in capsys.readouterr().err
