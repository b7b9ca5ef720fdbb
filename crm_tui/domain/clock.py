"""The one place the app asks for the current time, so tests and snapshots can fix it."""

from __future__ import annotations

import os
from datetime import datetime

_fixed: datetime | None = None


def set_fixed_now(moment: datetime | None) -> None:
    """Freeze the clock at `moment` (None unfreezes it)."""
    global _fixed
    _fixed = moment


def now() -> datetime:
    """Local time without zone, to the second; `CRM_NOW` (ISO timestamp) fixes it for tests."""
    if _fixed is not None:
        return _fixed
    fixed_env = os.environ.get("CRM_NOW")
    if fixed_env:
        return datetime.fromisoformat(fixed_env)
    return datetime.now().replace(microsecond=0)
