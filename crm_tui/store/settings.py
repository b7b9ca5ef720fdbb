"""Settings saved in the database (JSON values), with defaults for absent keys."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from crm_tui.store.models import Setting

DEFAULTS: dict[str, Any] = {
    "claims_enabled": True,
    "settlement_basis": "agreements",  # or "contracts"
    "default_snooze_minutes": 60,
    "working_hours": [9, 18],
    "currency": "RUB",
    "autofill_provider": "offline",  # "offline" or "dadata"
    "autofill_registry_path": "",
    "dadata_token": "",
    "smtp_host": "",
    "smtp_port": 587,
    "smtp_security": "starttls",  # "starttls", "ssl" or "none"
    "smtp_login": "",
    "smtp_password": "",
    "smtp_from": "",
    "attachment_limit_mb": 25,
}


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
    for row in session.query(Setting):  # a handful of rows
        values[row.key] = json.loads(row.value)
    return values
