"""Roles: a manager edits own deals, claims and interactions, and the individual agreements of
own partners (or of partners without a manager), and reads the rest; a supervisor edits
everything, typical agreements included; an admin also edits settings and classifiers."""

from __future__ import annotations

from sqlmodel import Session

from crm_tui.domain.enums import UserRole
from crm_tui.domain.errors import PermissionDenied
from crm_tui.i18n import _
from crm_tui.store.users import ensure_current_user


def check_can_edit(session: Session, owner_id: int | None) -> None:
    """Raise PermissionDenied unless the current user may edit a record owned by `owner_id`."""
    user = ensure_current_user(session)
    if user.role in (UserRole.SUPERVISOR, UserRole.ADMIN):
        return
    if owner_id is not None and owner_id != user.id:
        raise PermissionDenied(_("a manager can change only their own records"))


def check_admin(session: Session) -> None:
    """Raise PermissionDenied unless the current user is an administrator."""
    if ensure_current_user(session).role != UserRole.ADMIN:
        raise PermissionDenied(_("only an administrator can change settings and classifiers"))


def check_supervisor(session: Session) -> None:
    """Raise PermissionDenied unless the current user is a supervisor or an administrator."""
    if ensure_current_user(session).role not in (UserRole.SUPERVISOR, UserRole.ADMIN):
        raise PermissionDenied(
            _("only a supervisor or an administrator can change typical agreements"))
