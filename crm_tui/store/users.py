"""The current user: the real OS account (never $USER, which anyone can set)."""

from __future__ import annotations

import os
import pwd

from sqlmodel import Session, select

from crm_tui.domain.enums import UserRole
from crm_tui.store.models import User

_override: str | None = None


def os_login() -> str:
    """The login of the OS account running this process."""
    return pwd.getpwuid(os.getuid()).pw_name


def os_full_name() -> str:
    """The account's full name from the password database, or its login."""
    entry = pwd.getpwuid(os.getuid())
    gecos = (entry.pw_gecos or "").split(",")[0].strip()
    return gecos or entry.pw_name


def set_login_for_tests(login: str | None) -> None:
    """Act as another user (tests only: the app itself always uses the OS account)."""
    global _override
    _override = login


def current_login() -> str:
    return _override or os_login()


def ensure_current_user(session: Session) -> User:
    """The current user's row, created on first use.

    The first user of a database that has no administrator becomes its administrator."""
    login = current_login()
    user = session.exec(select(User).where(User.login == login)).first()
    if user is None:
        has_admin = session.exec(select(User.id).where(User.role == UserRole.ADMIN)).first()
        role = UserRole.MANAGER if has_admin is not None else UserRole.ADMIN
        name = os_full_name() if _override is None else login
        user = User(login=login, name=name, role=role.value)
        session.add(user)
        session.flush()
    return user
