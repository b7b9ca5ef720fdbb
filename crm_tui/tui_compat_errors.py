"""The app's error boundary: an unexpected exception never ends the app from a worker and
never prints local variables.

Textual internals used (Textual 8.2.8; tests/unit/test_error_boundary.py fails when they
change): `App._handle_exception(error)`, which Textual calls with every unhandled exception
(a worker's wrapped in `WorkerFailed`, a handler's as it is), and `App._fatal_error()`,
which it calls to end the app with a rich traceback *with local variables*
(`show_locals=True`): what the user typed, a password in a worker's frame. No public hook
covers this: `Worker.StateChanged` does not bubble to the app, and `exit_on_error=False`
on each of some sixty workers would leave the next one written unguarded.

- A worker's error (all database and network work runs in workers): the traceback goes to
  the error log (`crm_tui.errorlog`, no locals), the user gets a short message in the UI
  language, and the app goes on: the screen, its form and the typed input stay as they
  were, since the worker only failed to deliver its result.
- Any other error (a handler's: its widget's message loop has stopped, so the app cannot
  safely go on): logged the same way, and the app ends as Textual would, but printing one
  line that names the log instead of a traceback with locals.
"""

from __future__ import annotations

import errno
import time
from typing import Any

from rich.text import Text
from textual.app import App
from textual.worker import WorkerFailed

from crm_tui import errorlog
from crm_tui.i18n import _


def user_message(error: BaseException) -> str:
    """A short translated sentence for an unexpected error, by its kind."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    texts = " ".join(str(item).casefold() for item in chain)
    if "disk is full" in texts or any(
            isinstance(item, OSError) and item.errno == errno.ENOSPC for item in chain):
        return _("The disk is full: nothing was saved. Free some space and try again; "
                 "what you typed is kept.")
    if "disk i/o error" in texts or any(
            isinstance(item, OSError) and item.errno == errno.EIO for item in chain):
        return _("The database could not be read or written (disk I/O error): nothing was "
                 "saved; what you typed is kept.")
    # By module name: importing sqlite3 here cost every start ~2 ms before its first frame.
    if any(type(item).__module__.startswith(("sqlite3", "sqlalchemy", "psycopg"))
           for item in chain):
        return _("The database reported an error: the action was not completed; what you "
                 "typed is kept.")
    return _("Unexpected error: the action was not completed; what you typed is kept.")


class ErrorBoundaryApp(App[None]):
    """An App whose unexpected errors are logged without locals (see the module)."""

    # The last worker error shown and when (time.monotonic()).
    _last_error: str = ""
    _last_error_at: float = 0.0

    def _handle_exception(self, error: Exception) -> None:
        if isinstance(error, WorkerFailed):
            original: BaseException = error.error
            path = errorlog.record(original, "worker")
            message = user_message(original) + "\n" + _("Details: {path}").format(path=path)
            # A worker that runs every few seconds (live refresh) may fail each time: one
            # message on screen is enough.
            now = time.monotonic()
            if self._last_error != message or now - self._last_error_at > 30:
                self._last_error, self._last_error_at = message, now
                self.notify(message, severity="error", markup=False, timeout=15)
            return
        self._crash_log = errorlog.record(error, "handler")
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        path: Any = getattr(self, "_crash_log", None) or errorlog.log_path()
        self.bell()
        self.panic(Text(_("crm: unexpected error; the details are in {path}").format(
            path=path)))
