"""Who is using the app: the real OS account (never $USER, which anyone can set)."""

from __future__ import annotations

import os
import pwd

# Another login to act as, or None for the OS account. Only tests set it
# (tests/support/login.py); the app itself always acts as the OS account.
login_override: str | None = None


def os_login() -> str:
    """The login of the OS account running this process."""
    return pwd.getpwuid(os.getuid()).pw_name


def os_uid() -> int:
    """The numeric id of the OS account running this process (tests replace this function
    to act as another account)."""
    return os.getuid()


def account_name(uid: int) -> str:
    """The login of account `uid`, or the number when the system does not know it."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def os_full_name() -> str:
    """The account's full name from the password database, or its login."""
    entry = pwd.getpwuid(os.getuid())
    gecos = (entry.pw_gecos or "").split(",")[0].strip()
    return gecos or entry.pw_name


def current_login() -> str:
    """The login the app acts as."""
    return login_override or os_login()


def is_overridden() -> bool:
    return login_override is not None
