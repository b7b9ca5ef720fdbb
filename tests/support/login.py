"""Acting as another user in tests (the app always acts as the OS account)."""

from __future__ import annotations

from crm_tui.domain import identity


def set_login_for_tests(login: str | None) -> None:
    """Act as `login` (None: the OS account again) until the next call."""
    identity.login_override = login
