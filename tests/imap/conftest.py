"""The real Dovecot the IMAP tests run against (see dovecot.py).

Without Dovecot installed the tests skip with the reason; in CI (CI=true, or
CRM_TEST_IMAP_REQUIRED=1) they fail instead, so CI can never pass by skipping them."""

from __future__ import annotations

import imaplib
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from crm_tui import credentials
from tests.imap.dovecot import PASSWORD, USERS, Dovecot, dovecot_binary, new_server


def _required() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes") \
        or os.environ.get("CRM_TEST_IMAP_REQUIRED") == "1"


def _unavailable(reason: str) -> None:
    if _required():
        pytest.fail(f"{reason} (and CI is set: the IMAP tests must run; install "
                    "dovecot-imapd)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    if dovecot_binary() is None:
        _unavailable("Dovecot is not installed (apt-get install dovecot-imapd)")
    try:
        server = new_server()
    except Exception as error:
        _unavailable(f"Dovecot could not be started: {error}")
        raise
    yield server
    server.stop()


_numbers = itertools.count(1)


@dataclass
class Mailbox:
    """One user's mailbox on the test server, fresh for each test."""

    server: Dovecot
    user: str

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.server.imap_port, timeout=10)
        client.authenticate("PLAIN", lambda _c: b"\0" + self.user.encode() + b"\0"
                            + PASSWORD.encode())
        return client

    def deliver(self, *messages: bytes, folder: str = "INBOX") -> None:
        """Put messages into the mailbox with IMAP APPEND."""
        client = self.client()
        try:
            for raw in messages:
                status, data = client.append(folder, None, None, raw)
                assert status == "OK", data
        finally:
            client.logout()

    def flags(self) -> list[bytes]:
        client = self.client()
        try:
            client.select("INBOX", readonly=True)
            _status, data = client.uid("FETCH", "1:*", "(FLAGS)")
            return [item for item in data if isinstance(item, bytes)]
        finally:
            client.logout()

    def use(self, security: str = "starttls", password: str = PASSWORD,
            port: int | None = None) -> None:
        """Make this mailbox the current user's (their credentials)."""
        if port is None:
            port = self.server.imaps_port if security == "ssl" else self.server.imap_port
        credentials.save({"imap_host": "127.0.0.1", "imap_port": port,
                          "imap_security": security, "imap_login": self.user,
                          "imap_password": password})


@pytest.fixture
def mailbox(dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> Mailbox:
    """A user of the server no other test used (each xdist worker has its own server); the
    server's
    self-signed certificate trusted (SSL_CERT_FILE, which OpenSSL's default paths read)."""
    number = next(_numbers)
    assert number <= USERS, "more IMAP tests than test users: raise dovecot.USERS"
    user = f"user{number}"
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.cert))
    box = Mailbox(dovecot, user)
    box.use()
    return box
