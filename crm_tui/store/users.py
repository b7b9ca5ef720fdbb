"""The current user: the real OS account (never $USER, which anyone can set)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection

from crm_tui.domain import identity
from crm_tui.domain.enums import UserRole
from crm_tui.domain.identity import (  # noqa: F401 - re-exported for the store's users
    current_login,
    is_overridden,
    os_full_name,
    os_login,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from crm_tui.store.models import User


def current_role(connection: Connection | Session) -> str | None:
    """The current user's role, or None before their first use of this database.

    Plain SQL: opening the app asks it before its first data, and importing the ORM and
    its models costs ~300 ms."""
    role = connection.execute(text("SELECT role FROM app_user WHERE login = :login"),
                           {"login": current_login()}).scalar()
    return None if role is None else str(role)


def ensure_current_user(session: Session) -> User:
    """The current user's row, created on first use.

    A new user is a manager, except the owner of a database that has no administrator:
    the account that created the database (or was given it) is its administrator. So a
    database filled by `crm import` (users, none of them an administrator) does not make
    whoever opens it first an administrator."""
    from sqlmodel import select

    from crm_tui.store.models import User

    login = current_login()
    user = session.exec(select(User).where(User.login == login)).first()
    if user is None:
        has_admin = session.exec(select(User.id).where(User.role == UserRole.ADMIN)).first()
        owner = has_admin is None and is_database_owner(session)
        role = UserRole.ADMIN if owner else UserRole.MANAGER
        name = login if is_overridden() else os_full_name()
        user = User(login=login, name=name, role=role.value)
        session.add(user)
        session.flush()
    return user


def _engine(connection: Connection | Session) -> Engine:
    if isinstance(connection, Connection):
        return connection.engine
    bind = connection.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind


def _sqlite_file(engine: Engine) -> str | None:
    from crm_tui.store.engine import sqlite_path

    return sqlite_path(engine.url.render_as_string(hide_password=True))


def is_database_owner(connection: Connection | Session) -> bool:
    """True when the current account owns the database: the SQLite file's owner (uid), or
    a member of the PostgreSQL database's owner role. A database in memory belongs to
    the process that made it."""
    engine = _engine(connection)
    if engine.dialect.name == "postgresql":
        return bool(connection.execute(text(
            "SELECT pg_has_role(current_user, d.datdba, 'MEMBER') FROM pg_database d "
            "WHERE d.datname = current_database()")).scalar())
    path = _sqlite_file(engine)
    if path is None:
        return True
    return os.stat(path).st_uid == identity.os_uid()


def database_owner(connection: Connection | Session) -> str:
    """Who owns the database: the file owner's login, or the PostgreSQL owner role."""
    engine = _engine(connection)
    if engine.dialect.name == "postgresql":
        return str(connection.execute(text(
            "SELECT pg_get_userbyid(d.datdba) FROM pg_database d "
            "WHERE d.datname = current_database()")).scalar())
    path = _sqlite_file(engine)
    if path is None:
        return identity.os_login()
    return identity.account_name(os.stat(path).st_uid)


def has_admin(connection: Connection | Session) -> bool:
    return connection.execute(text("SELECT 1 FROM app_user WHERE role = 'admin' LIMIT 1")
                              ).first() is not None
