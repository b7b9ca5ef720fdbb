"""The current user: the real OS account (never $USER, which anyone can set)."""

from __future__ import annotations

from sqlmodel import Session, select

from crm_tui.domain.enums import UserRole
from crm_tui.domain.identity import (  # noqa: F401 - re-exported for the store's users
    current_login,
    is_overridden,
    os_full_name,
    os_login,
    set_login_for_tests,
)
from crm_tui.store.models import User


def ensure_current_user(session: Session) -> User:
    """The current user's row, created on first use.

    The first user of a database that has no administrator becomes its administrator."""
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
