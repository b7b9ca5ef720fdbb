"""The current user: the real OS account (never $USER, which anyone can set)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text

from crm_tui.domain.enums import UserRole
from crm_tui.domain.identity import (  # noqa: F401 - re-exported for the store's users
    current_login,
    is_overridden,
    os_full_name,
    os_login,
    set_login_for_tests,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
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

    The first user of a database that has no administrator becomes its administrator."""
    from sqlmodel import select

    from crm_tui.store.models import User

    login = current_login()
    user = session.exec(select(User).where(User.login == login)).first()
    if user is None:
        has_admin = session.exec(select(User.id).where(User.role == UserRole.ADMIN)).first()
        role = UserRole.MANAGER if has_admin is not None else UserRole.ADMIN
        name = login if is_overridden() else os_full_name()
        user = User(login=login, name=name, role=role.value)
        session.add(user)
        session.flush()
    return user
