"""A login and password with non-Latin characters: sent as UTF-8 with the mechanism the
server offers (PLAIN, LOGIN), or refused with a message that never quotes the password;
never an exception other than MailError (which ended the app and printed the password)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from crm_tui.mail.smtp import MailError, OutgoingMail, SmtpSettings, send
from tests.unit.interactions.test_smtp import Sink, free_port

LOGIN = "менеджер@пример.рф"
PASSWORD = "пароль-ёж"

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                  auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == LOGIN.encode() \
        and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture(params=["PLAIN", "LOGIN"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[Sink, int]]:
    """A server offering only one mechanism."""
    sink = Sink()
    port = free_port()
    other = {"PLAIN": "LOGIN", "LOGIN": "PLAIN"}[request.param]
    controller = Controller(sink, hostname="127.0.0.1", port=port, authenticator=authenticator,
                            auth_require_tls=False, auth_required=True,
                            auth_exclude_mechanism=[other])
    controller.start()
    yield sink, port
    controller.stop()


def mail() -> OutgoingMail:
    return OutgoingMail("me@example.com", "client@example.com", "Тема", "Текст")


def test_a_non_ascii_login_and_password_log_in(server: tuple[Sink, int]) -> None:
    sink, port = server
    send(SmtpSettings("127.0.0.1", port, "none", LOGIN, PASSWORD, "me@example.com"), mail())
    assert len(sink.messages) == 1


def test_a_wrong_non_ascii_password_is_a_message_without_it(server: tuple[Sink, int]) -> None:
    _sink, port = server
    with pytest.raises(MailError) as caught:
        send(SmtpSettings("127.0.0.1", port, "none", LOGIN, "не-тот-пароль", "me@example.com"),
             mail())
    assert "refused the login" in str(caught.value)
    assert "не-тот-пароль" not in str(caught.value)
