"""Freezing the app's clock in tests (the app reads it through crm_tui.domain.clock.now)."""

from __future__ import annotations

from datetime import datetime

from crm_tui.domain import clock


def set_fixed_now(moment: datetime | None) -> None:
    """Freeze the clock at `moment` (None unfreezes it)."""
    clock.fixed_now = moment
