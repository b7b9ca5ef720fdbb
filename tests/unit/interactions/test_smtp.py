"""Sending an e-mail interaction through a local aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import base64
import socket
import traceback
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from crm_tui import credentials
from crm_tui.mail.send import send_interaction
from crm_tui.mail.smtp import MailError, OutgoingMail, SmtpSettings, send
from crm_tui.store.database import Database
from crm_tui.store.repo_interactions import get_interaction
from crm_tui.store.settings import set_setting
from tests.unit.interactions.helpers import interaction, load


class Sink:
    """Keeps every message the server accepted."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                  auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"crm" \
        and auth_data.password == b"secret"
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture
def server() -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, authenticator=authenticator,
                            auth_require_tls=False, auth_required=True)
    controller.start()
    yield sink, port
    controller.stop()


def settings(port: int, password: str = "secret") -> SmtpSettings:
    return SmtpSettings("127.0.0.1", port, "none", "crm", password, "me@example.com")


def test_send_records_message_id(db: Database, fixed_now: datetime,
                                 server: tuple[Sink, int],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    sink, port = server
    load(db, interaction("I1", "2026-01-15T10:00:00", kind="email", direction="outgoing",
                         email_to="client@example.com", text="Hello,\nthe offer."))
    with db.write() as s:
        for key, value in {"smtp_host": "127.0.0.1", "smtp_port": port,
                           "smtp_security": "none"}.items():
            set_setting(s, key, value)
    # The account is the user's own (their credentials), the server the office's.
    credentials.save({"smtp_login": "crm", "smtp_from": "me@example.com"})
    monkeypatch.setenv("CRM_SMTP_PASSWORD", "secret")
    message_id = send_interaction(db, "I1")
    assert len(sink.messages) == 1
    envelope = sink.messages[0]
    assert envelope.rcpt_tos == ["client@example.com"]
    body = envelope.content.decode()
    assert f"Message-ID: {message_id}" in body and "Subject: Topic I1" in body
    assert "the offer." in body
    with db.read() as s:
        view = get_interaction(s, "I1")
    assert view.message_id == message_id and view.status == "done"


def test_refused_login_is_clear(server: tuple[Sink, int]) -> None:
    sink, port = server
    with pytest.raises(MailError, match="refused the login crm"):
        send(settings(port, "wrong"), OutgoingMail("", "a@example.com", "s", "b"))
    assert sink.messages == []


def test_no_server_is_clear() -> None:
    with pytest.raises(MailError, match=r"cannot connect to the SMTP server 127\.0\.0\.1"):
        send(settings(free_port()), OutgoingMail("", "a@example.com", "s", "b"))


def test_starttls_unsupported_is_clear(server: tuple[Sink, int]) -> None:
    _sink, port = server
    plain = SmtpSettings("127.0.0.1", port, "starttls", "crm", "secret", "me@example.com")
    with pytest.raises(MailError, match="does not support"):
        send(plain, OutgoingMail("", "a@example.com", "s", "b"))


def test_no_host_and_not_sendable(db: Database, fixed_now: datetime) -> None:
    with pytest.raises(MailError, match="no SMTP server"):
        send(SmtpSettings("", 25, "none", "", "", "me@x.org"),
             OutgoingMail("", "a@example.com", "s", "b"))
    load(db, interaction("I1", "2026-01-15T10:00:00", kind="call"))
    with pytest.raises(MailError, match="only an outgoing e-mail"):
        send_interaction(db, "I1")


def test_the_account_is_the_user_s_own_and_the_environment_wins(
        monkeypatch: pytest.MonkeyPatch) -> None:
    credentials.save({"smtp_login": "anna", "smtp_password": "own", "smtp_from": "a@x.org"})
    office = {"smtp_host": "mail.x.org", "smtp_port": 465, "smtp_security": "ssl",
              "smtp_login": "office", "smtp_password": "db", "smtp_from": "office@x.org"}
    chosen = SmtpSettings.from_settings(office)
    assert (chosen.host, chosen.port, chosen.login, chosen.password, chosen.sender) == \
        ("mail.x.org", 465, "anna", "own", "a@x.org")
    assert "own" not in repr(chosen)
    monkeypatch.setenv("CRM_SMTP_PASSWORD", "env")
    assert SmtpSettings.from_settings(office).password == "env"


def test_a_refused_login_leaves_no_password_in_its_traceback(
        server: tuple[Sink, int]) -> None:
    """smtplib's frames hold the login exchange; the error shown must not carry them."""
    _sink, port = server
    with pytest.raises(MailError) as raised:
        send(settings(port, "wrong-pass-XYZ"), OutgoingMail("", "a@example.com", "s", "b"))
    error = raised.value
    assert error.__traceback__ is not None
    # From the code's frames on (this test's own frame holds the password, of course).
    shown = "".join(traceback.TracebackException(
        type(error), error, error.__traceback__.tb_next, capture_locals=True).format())
    assert "_send" not in shown or "smtplib" not in shown
    assert "refused the login" in shown
    assert "wrong-pass-XYZ" not in shown
    assert base64.b64encode(b"\0crm\0wrong-pass-XYZ").decode() not in shown


def test_the_message_id_is_recorded_before_sending(db: Database, fixed_now: datetime,
                                                   server: tuple[Sink, int],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A reply must thread even if sending failed half-way or the app died after it: the
    Message-ID is in the database first, and a retry sends with the same one."""
    sink, port = server
    load(db, interaction("I1", "2026-01-15T10:00:00", kind="email", direction="outgoing",
                         email_to="client@example.com"))
    with db.write() as s:
        for key, value in {"smtp_host": "127.0.0.1", "smtp_port": free_port(),
                           "smtp_security": "none"}.items():
            set_setting(s, key, value)
    credentials.save({"smtp_login": "crm", "smtp_from": "me@example.com"})
    monkeypatch.setenv("CRM_SMTP_PASSWORD", "secret")
    with pytest.raises(MailError):
        send_interaction(db, "I1")  # no server there
    with db.read() as s:
        first = get_interaction(s, "I1")
    assert first.message_id and first.message_id.endswith("@example.com>")
    assert first.status == "in_progress"
    with db.write() as s:
        set_setting(s, "smtp_port", port)
    assert send_interaction(db, "I1") == first.message_id
    assert f"Message-ID: {first.message_id}" in sink.messages[0].content.decode()
