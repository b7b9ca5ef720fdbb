"""Users and their roles: list them; an administrator sets roles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from crm_tui.domain.enums import UserRole
from crm_tui.domain.errors import NotFoundError, PermissionDenied, ValidationError
from crm_tui.i18n import _
from crm_tui.store import audit
from crm_tui.store.models import User
from crm_tui.store.users import database_owner, ensure_current_user, has_admin


@dataclass(frozen=True)
class UserView:
    """A user as lists show it."""

    login: str
    name: str
    role: str


def list_users(session: Session) -> list[UserView]:
    """Every user, ordered by login (a small table: offices have a handful of users)."""
    rows = session.exec(select(User).order_by(col(User.login)))
    return [UserView(row.login, row.name, row.role) for row in rows]


def parse_role(role: str) -> UserRole:
    """The role named `role`, or ValidationError listing the valid ones."""
    try:
        return UserRole(role.strip().lower())
    except ValueError as error:
        raise ValidationError(
            _("unknown role {role}; use one of: {roles}").format(
                role=role, roles=", ".join(item.value for item in UserRole)),
            field="role",
        ) from error


def set_role(session: Session, login: str, role: str) -> UserView:
    """Give user `login` the role `role` (administrators only), with an audit row.

    Refuses to take the administrator role from the last administrator, so a database
    never ends up with nobody allowed to change settings and roles. Where there is no
    administrator, only the database's owner may name one (ensure_current_user makes the
    owner an administrator on their first use); anyone else is told who can."""
    me = ensure_current_user(session)
    if me.role != UserRole.ADMIN:
        if not has_admin(session):
            raise PermissionDenied(no_admin_hint(session))
        raise PermissionDenied(_("only an administrator can change user roles"))
    new_role = parse_role(role)
    user = session.exec(select(User).where(User.login == login)).first()
    if user is None:
        raise NotFoundError(_("no user with login {login}").format(login=login))
    if user.role == UserRole.ADMIN and new_role != UserRole.ADMIN:
        admins = session.exec(
            select(func.count()).select_from(User).where(User.role == UserRole.ADMIN)).one()
        if admins <= 1:
            raise ValidationError(_("{login} is the only administrator; make someone else an "
                                    "administrator first").format(login=login), field="role")
    if user.role != new_role.value:
        audit.record(session, "user", user.login, "update", {"role": (user.role, new_role.value)})
        user.role = new_role.value
        session.add(user)
        session.flush()
    return UserView(user.login, user.name, user.role)


def no_admin_hint(session: Session) -> str:
    """What to do when a database has no administrator."""
    return _("this database has no administrator; only its owner ({owner}) can name one: "
             "crm users set-role LOGIN admin").format(owner=database_owner(session))
