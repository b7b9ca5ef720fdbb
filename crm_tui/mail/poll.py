"""The app's background mail fetching: every few minutes (setting mail_fetch_minutes, 0 for
never) while the app is open, in a worker thread, one fetch at a time. No textual here: the
app calls `MailPoller.tick` from a thread worker and shows what it returns."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from crm_tui.store.database import Database


@dataclass(frozen=True)
class PollOutcome:
    new: int = 0
    error: str | None = None  # set only when it differs from the last one shown


class MailPoller:
    def __init__(self, every_s: float | None = None) -> None:
        self.every_s = every_s  # tests: this period instead of the setting
        self._lock = threading.Lock()
        self._last_fetch: float | None = None
        self._last_error: str | None = None

    def _period(self, db: Database) -> float:
        if self.every_s is not None:
            return self.every_s
        from crm_tui.store.settings import get_setting

        with db.read() as session:
            minutes = get_setting(session, "mail_fetch_minutes")
        return float(minutes or 0) * 60

    def tick(self, db: Database) -> PollOutcome | None:
        """Fetch if it is time and the user has a mailbox; None when nothing was done."""
        if not self._lock.acquire(blocking=False):
            return None  # the previous fetch is still running
        try:
            return self._tick(db)
        finally:
            self._lock.release()

    def _tick(self, db: Database) -> PollOutcome | None:
        from crm_tui.credentials import CredentialsError
        from crm_tui.domain.errors import DomainError
        from crm_tui.mail.fetch import ImapSettings, fetch_mail

        try:
            settings = ImapSettings.from_credentials()
            if not settings.configured:
                return None  # no mailbox: the database is not even read
            period = self._period(db)
            if period <= 0:
                return None
            if self._last_fetch is not None and time.monotonic() - self._last_fetch < period:
                return None
            self._last_fetch = time.monotonic()
            result = fetch_mail(db, settings=settings)
        except (DomainError, CredentialsError) as error:
            message = str(error)
            if message == self._last_error:
                return None  # said once; not again every few minutes
            self._last_error = message
            return PollOutcome(error=message)
        except Exception:  # a busy database, a vanished file: the next tick tries again
            return None
        self._last_error = None
        return PollOutcome(new=result.new) if result.new else None
