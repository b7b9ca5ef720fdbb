"""Settings saved in the database (JSON values), with defaults for absent keys."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlmodel import Session, select

from crm_tui.domain.enums import UserRole
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.text import check_text
from crm_tui.i18n import _
from crm_tui.store import audit
from crm_tui.store.models import Setting, User
from crm_tui.store.permissions import check_admin
from crm_tui.store.setting_defaults import DEFAULTS
from crm_tui.store.users import current_login

# Each user's mail login, sender, passwords and tokens are theirs, never in this shared
# table: see crm_tui.credentials (migration 0011 moved old values out).


def get_setting(session: Session, key: str) -> Any:
    row = session.get(Setting, key)
    if row is None:
        return DEFAULTS.get(key)
    return json.loads(row.value)


def set_setting(session: Session, key: str, value: Any) -> None:
    row = session.get(Setting, key)
    text = json.dumps(value, ensure_ascii=False)
    if row is None:
        session.add(Setting(key=key, value=text))
    else:
        row.value = text
        session.add(row)


def all_settings(session: Session) -> dict[str, Any]:
    values = dict(DEFAULTS)
    for row in session.exec(select(Setting)):  # a handful of rows
        values[row.key] = json.loads(row.value)
    return values


# ------------------------------------------------------------------ validation and saving
# Settings whose values are choices, with the allowed values.
CHOICES: dict[str, tuple[str, ...]] = {
    "autofill_provider": ("offline", "dadata"),
    "smtp_security": ("starttls", "ssl", "none"),
}
# Whole-number settings and their bounds.
_NUMBERS: dict[str, tuple[int, int]] = {
    "default_snooze_minutes": (1, 60 * 24 * 30), "smtp_port": (1, 65535),
    "attachment_limit_mb": (1, 1024), "mail_fetch_minutes": (0, 24 * 60),
    "desktop_quiet_days": (1, 3650), "desktop_stage_days": (1, 3650),
}
_TEXT = frozenset({"autofill_registry_path", "smtp_host"})
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def validate_setting(key: str, value: Any) -> Any:
    """The value to store for `key`, or ValidationError (naming the field) if it is wrong."""
    if key not in DEFAULTS:
        raise ValidationError(_("unknown setting {key}").format(key=key), field=key)
    if key in ("claims_enabled", "mail_mark_read", "reminder_bell",
               "claims_post_with_open_tasks"):
        if not isinstance(value, bool):
            raise ValidationError(_("choose on or off"), field=key)
        return value
    if key in CHOICES:
        if value not in CHOICES[key]:
            raise ValidationError(_("choose one of: {values}").format(
                values=", ".join(CHOICES[key])), field=key)
        return value
    if key == "currency":
        text = str(value).strip().upper()
        if not _CURRENCY.match(text):
            raise ValidationError(_("the currency is a 3-letter code such as RUB"), field=key)
        return text
    if key == "working_hours":
        if (not isinstance(value, (list, tuple)) or len(value) != 2
                or not all(isinstance(hour, int) for hour in value)
                or not 0 <= value[0] < value[1] <= 24):
            raise ValidationError(_("working hours: the start must be before the end, 0 to 24"),
                                  field=key)
        return [int(value[0]), int(value[1])]
    if key in _NUMBERS:
        limits = _NUMBERS[key]
        if not isinstance(value, int) or isinstance(value, bool) or not (
                limits[0] <= value <= limits[1]):
            raise ValidationError(_("enter a whole number from {low} to {high}").format(
                low=limits[0], high=limits[1]), field=key)
        return value
    if key in _TEXT:
        return check_text(str(value).strip(), key)
    return value  # pragma: no cover - every key is handled above


def save_settings(session: Session, changes: dict[str, Any]) -> dict[str, Any]:
    """Validate and save several settings at once (administrators only), audited.

    Returns the values actually changed. No secret is a database setting (unknown keys
    are refused), so none reaches the change history."""
    check_admin(session)
    values = {key: validate_setting(key, value) for key, value in changes.items()}
    changed: dict[str, Any] = {}
    for key, value in values.items():
        old = get_setting(session, key)
        if old == value:
            continue
        set_setting(session, key, value)
        changed[key] = value
        shown = (json.dumps(old, ensure_ascii=False), json.dumps(value, ensure_ascii=False))
        audit.record(session, "setting", key, "update", {"value": shown})
    return changed


def claims_enabled(session: Session) -> bool:
    """The claims switch: False hides the claims section and refuses new claims."""
    return bool(get_setting(session, "claims_enabled"))


def hidden_sections(values: dict[str, Any]) -> frozenset[str]:
    """Section modes the settings hide (claims when claims are not recorded)."""
    return frozenset() if values.get("claims_enabled", True) else frozenset({"claims"})


def is_admin(session: Session) -> bool:
    """True when the current user is an administrator (reads only; creates nothing)."""
    role = session.exec(select(User.role).where(User.login == current_login())).first()
    return role == UserRole.ADMIN

