"""The error log: unexpected exceptions, with their tracebacks, for whoever fixes them.

`record(error)` appends the traceback to `crm.log` in the user state folder
(platformdirs: ~/.local/state/crm-tui/ on Linux), a file only its owner can read (0600).
Only the traceback is written (files, lines, the exception's message), never local
variables: they hold what the user typed, passwords and records. The log is kept under
about 1 MB: a bigger one is renamed to crm.log.1 (replacing the previous one)."""

from __future__ import annotations

import os
import traceback
from datetime import datetime
from pathlib import Path

from platformdirs import user_state_path

from crm_tui.config import APP_NAME

MAX_BYTES = 1_000_000


def log_path() -> Path:
    """Where the error log is (its folder is created on demand)."""
    return user_state_path(APP_NAME) / "crm.log"


def format_error(error: BaseException) -> str:
    """The traceback of `error` (with its causes), without local variables."""
    return "".join(traceback.format_exception(error))


def record(error: BaseException, context: str = "") -> Path:
    """Append `error`'s traceback to the log; return the log's path. Never raises: when
    the log cannot be written, the error is lost rather than ending the app."""
    path = log_path()
    entry = f"--- {datetime.now().isoformat(timespec='seconds')} pid {os.getpid()}"
    entry += f" {context}\n" if context else "\n"
    entry += format_error(error)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if path.exists() and path.stat().st_size > MAX_BYTES:
            os.replace(path, path.with_name(path.name + ".1"))
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.fchmod(handle, 0o600)  # an older log made with a looser mode
            os.write(handle, entry.encode("utf-8", "replace"))
        finally:
            os.close(handle)
    except OSError:
        pass
    return path
