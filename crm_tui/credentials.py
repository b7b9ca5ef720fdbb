"""Per-user credentials: each manager's own mail accounts and API keys, kept out of the
shared database.

The database is readable by every member of the office group and copied into every backup,
so passwords and tokens live with the OS account instead: in the OS keyring when the
optional `keyring` package has a real backend, else in `credentials.json` in the user's
config folder (folder 0700, file 0600). The environment variables (CRM_SMTP_PASSWORD,
CRM_IMAP_PASSWORD, CRM_DADATA_TOKEN) still win over both. Non-secret per-user values (the
SMTP/IMAP login, the sender address, the IMAP server) are kept in the same file.

Secrets travel as `Secret` objects, whose repr and str never show the value: a traceback
that prints local variables (Textual's does) or a log line cannot leak them."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from platformdirs import user_config_path

from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.text import check_text
from crm_tui.i18n import _

APP_NAME = "crm-tui"
FILE_NAME = "credentials.json"
KEYRING_SERVICE = "crm-tui"
# CRM_KEYRING=off keeps secrets in the file even where a keyring exists (tests, servers).
KEYRING_SWITCH = "CRM_KEYRING"

ENVIRONMENT: dict[str, str] = {
    "smtp_password": "CRM_SMTP_PASSWORD",
    "imap_password": "CRM_IMAP_PASSWORD",
    "dadata_token": "CRM_DADATA_TOKEN",
}
SECRET_KEYS = frozenset(ENVIRONMENT)
DEFAULTS: dict[str, Any] = {
    "smtp_login": "",
    "smtp_password": "",
    "smtp_from": "",
    "imap_host": "",
    "imap_port": 993,
    "imap_security": "ssl",  # "ssl", "starttls" or "none"
    "imap_login": "",
    "imap_password": "",
    "imap_folder": "INBOX",
    "dadata_token": "",
}
SECURITY_CHOICES = ("ssl", "starttls", "none")


class CredentialsError(DomainError):
    """The credentials file cannot be read or written; the message says which and why."""


class Secret:
    """A password or token whose repr/str never show it; `reveal()` gives the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str = "") -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return "Secret('***')" if self._value else "Secret('')"

    __str__ = __repr__


# ------------------------------------------------------------------ where
def config_dir() -> Path:
    return user_config_path(APP_NAME)


def credentials_path() -> Path:
    return config_dir() / FILE_NAME


# ------------------------------------------------------------------ the keyring (optional)
def _keyring() -> Any | None:
    """The `keyring` module when it is installed and has a usable backend, else None."""
    if os.environ.get(KEYRING_SWITCH, "").strip().lower() in ("0", "off", "no", "false"):
        return None
    try:
        import keyring
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration: use the file
        return None
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return None
    if float(getattr(backend, "priority", 1) or 0) <= 0:
        return None  # e.g. the chainer with no real backend behind it
    return keyring


def storage() -> str:
    """Where secrets go: "keyring" or the file's path (for the settings screen and notices)."""
    return "keyring" if _keyring() is not None else str(credentials_path())


# ------------------------------------------------------------------ the file
def _read_file() -> dict[str, Any]:
    path = credentials_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return {}  # nothing saved yet (writing will say what is wrong with the folder)
    except OSError as error:
        raise CredentialsError(_("cannot read the credentials file {path}: {reason}").format(
            path=path, reason=error.strerror or error)) from None
    try:
        data = json.loads(text)
    except ValueError:
        # `from None`: the parser's message could quote part of the file (a password).
        raise CredentialsError(_("the credentials file {path} is damaged; fix or delete "
                                 "it").format(path=path)) from None
    if not isinstance(data, dict):
        raise CredentialsError(_("the credentials file {path} is damaged; fix or delete "
                                 "it").format(path=path))
    with contextlib.suppress(OSError):
        if path.stat().st_mode & 0o077:  # someone loosened it: only its owner may read it
            path.chmod(0o600)
    return data


def _write_file(data: dict[str, Any]) -> None:
    """Replace the file atomically; it is created 0600 in a 0700 folder."""
    folder = config_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
        handle, temporary = tempfile.mkstemp(prefix=".credentials-", dir=folder)
        try:
            os.fchmod(handle, 0o600)
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, ensure_ascii=False, indent=2, sort_keys=True)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, credentials_path())
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as error:
        raise CredentialsError(_("cannot save the credentials file {path}: {reason}").format(
            path=credentials_path(), reason=error.strerror or error)) from None


# ------------------------------------------------------------------ reading
def load() -> dict[str, Any]:
    """The user's values: the defaults, the file, secrets as `Secret` (environment first,
    then the keyring, then the file)."""
    stored = _read_file()
    values: dict[str, Any] = {}
    for key, default in DEFAULTS.items():
        value = stored.get(key, default)
        values[key] = value if isinstance(value, type(default)) else default
    ring = _keyring()
    for key in SECRET_KEYS:
        value = os.environ.get(ENVIRONMENT[key], "")
        if not value and ring is not None:
            with contextlib.suppress(Exception):
                value = ring.get_password(KEYRING_SERVICE, key) or ""
        values[key] = Secret(value or str(stored.get(key) or ""))
    return values


def secret(key: str) -> Secret:
    """One secret (SMTP/IMAP password, DaData token)."""
    value = load()[key]
    assert isinstance(value, Secret)
    return value


def display_values() -> dict[str, Any]:
    """The values fit to show: secrets become True/False (set or not)."""
    return {key: bool(value) if key in SECRET_KEYS else value
            for key, value in load().items()}


# ------------------------------------------------------------------ writing
def validate(key: str, value: Any) -> Any:
    """The value to keep for `key`, or ValidationError naming the field."""
    if key not in DEFAULTS:
        raise ValidationError(_("unknown setting {key}").format(key=key), field=key)
    if key == "imap_port":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
            raise ValidationError(_("enter a whole number from {low} to {high}").format(
                low=1, high=65535), field=key)
        return value
    if key == "imap_security":
        if value not in SECURITY_CHOICES:
            raise ValidationError(_("choose one of: {values}").format(
                values=", ".join(SECURITY_CHOICES)), field=key)
        return value
    if key in SECRET_KEYS:  # a password keeps its spaces
        return check_text(str(value), key)
    text = check_text(str(value).strip(), key)
    if key == "smtp_from" and text and "@" not in text:
        raise ValidationError(_("the sender is an e-mail address"), field=key)
    if key == "imap_folder" and not text:
        return DEFAULTS["imap_folder"]
    return text


def save(changes: dict[str, Any]) -> None:
    """Validate and keep the user's values; secrets go to the keyring when there is one."""
    values = {key: validate(key, value) for key, value in changes.items()}
    data = _read_file()
    ring = _keyring()
    for key, value in values.items():
        if key in SECRET_KEYS and ring is not None:
            try:
                if value:
                    ring.set_password(KEYRING_SERVICE, key, value)
                else:
                    with contextlib.suppress(Exception):
                        ring.delete_password(KEYRING_SERVICE, key)
                data.pop(key, None)
                continue
            except Exception:  # the keyring refused (locked, no D-Bus): the file then
                pass
        data[key] = value
    _write_file(data)


# ------------------------------------------------------------------ moved from a database
_notices: list[str] = []


def adopt(values: dict[str, str]) -> list[str]:
    """Keep values moved out of a database on upgrade (migration 0011) as this user's own,
    except those the user has already set; queue a notice for the caller to show.
    Returns the keys kept. Raises CredentialsError when they cannot be saved (the upgrade
    is then rolled back and the values stay where they were)."""
    current = load()
    kept = {key: value for key, value in values.items()
            if key in DEFAULTS and value and not current.get(key)}
    if kept:
        save(kept)
    moved = sorted(values)
    if moved:
        _notices.append(_(
            "the database held mail passwords and API keys readable by everyone using it "
            "({keys}); they were removed from it and kept as your own in {where}. Other users "
            "enter their own in Settings. Backup copies made before this upgrade still hold "
            "them: delete those you do not need.").format(keys=", ".join(moved),
                                                          where=storage()))
    return sorted(kept)


def take_notices() -> list[str]:
    """The notices queued since the last call (shown once, by the CLI or the app)."""
    taken = list(_notices)
    _notices.clear()
    return taken


def print_notices() -> None:
    for notice in take_notices():
        print(f"crm: {notice}", file=sys.stderr)
