"""The settings' defaults (a setting without a row has its default), and reading settings
on a plain connection: Home reads its settings before the app imports the ORM."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from crm_tui.domain.interactions import WorkDay

if TYPE_CHECKING:
    from sqlmodel import Session

DEFAULTS: dict[str, Any] = {
    "claims_enabled": True,
    "claims_post_with_open_tasks": True,  # False: a claim is posted only when its plan is done
    "default_snooze_minutes": 60,
    "working_hours": [9, 18],
    "currency": "RUB",
    "autofill_provider": "offline",  # "offline" or "dadata"
    "autofill_registry_path": "",
    "smtp_host": "",
    "smtp_port": 587,
    "smtp_security": "starttls",  # "starttls", "ssl" or "none"
    "attachment_limit_mb": 25,
    "mail_fetch_minutes": 5,  # 0: the app does not fetch mail by itself
    "mail_mark_read": False,  # mark fetched mail as read on the server
    "desktop_quiet_days": 14,  # Home lists open deals without an interaction this long
    "desktop_stage_days": 30,  # … or in their current stage this long
    "reminder_bell": False,  # reminders also ring the terminal bell
}


def read_plain(connection: Connection | Session, *keys: str) -> dict[str, Any]:
    """The settings `keys` (their defaults when not set), without the ORM."""
    rows = connection.execute(
        text("SELECT key, value FROM setting WHERE key IN :keys")
        .bindparams(bindparam("keys", expanding=True)), {"keys": list(keys)})
    values = {key: DEFAULTS.get(key) for key in keys}
    values.update({row.key: json.loads(row.value) for row in rows})
    return values


def work_day(connection: Connection | Session) -> WorkDay:
    """The organizer's settings (default snooze, working hours) as the domain uses them."""
    values = read_plain(connection, "default_snooze_minutes", "working_hours")
    start, end = values["working_hours"]
    return WorkDay(int(values["default_snooze_minutes"]), int(start), int(end))


def currency(connection: Connection | Session) -> str:
    """The company currency's ISO code (setting currency), shown beside amounts."""
    return str(read_plain(connection, "currency")["currency"])
