"""Send an outgoing e-mail interaction through the SMTP server named in settings.

No textual here: the screen calls `send_interaction` in a worker thread. Every failure is a
`MailError` whose message is translated and fit to show the user."""

from __future__ import annotations

import base64
import hmac
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from crm_tui import credentials
from crm_tui.domain import clock
from crm_tui.domain.enums import Direction, InteractionKind
from crm_tui.domain.errors import DomainError
from crm_tui.i18n import _

TIMEOUT_S = 20


class MailError(DomainError):
    """The message could not be sent; `str(error)` says why."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send: the office's server (database settings) and the user's own
    account on it (crm_tui.credentials)."""

    host: str
    port: int
    security: str  # "starttls", "ssl" or "none"
    login: str
    password: str = field(repr=False)  # never in a repr, so never in a traceback's locals
    sender: str

    @classmethod
    def from_settings(cls, values: dict[str, Any],
                      user: dict[str, Any] | None = None) -> SmtpSettings:
        """Build from `store.settings.all_settings()` and the user's credentials
        (`credentials.load()` when not given; $CRM_SMTP_PASSWORD wins there)."""
        if user is None:
            user = credentials.load()
        secret = user.get("smtp_password")
        return cls(
            host=str(values.get("smtp_host") or ""),
            port=int(values.get("smtp_port") or 0),
            security=str(values.get("smtp_security") or "starttls"),
            login=str(user.get("smtp_login") or ""),
            password=secret.reveal() if isinstance(secret, credentials.Secret) else "",
            sender=str(user.get("smtp_from") or user.get("smtp_login") or ""),
        )


@dataclass(frozen=True)
class OutgoingMail:
    """What to send."""

    sender: str
    to: str
    subject: str
    body: str
    message_id: str = ""  # recorded before sending (replies thread by it); else a new one


def new_message_id(sender: str) -> str:
    return make_msgid(domain=_domain_of(sender))


def build_message(mail: OutgoingMail, domain: str | None = None) -> EmailMessage:
    """The e-mail with its Message-ID (a fresh one if it has none) and the current date."""
    message = EmailMessage()
    message["From"] = mail.sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(clock.now().astimezone())
    message["Message-ID"] = mail.message_id or make_msgid(
        domain=domain or _domain_of(mail.sender))
    message.set_content(mail.body or "")
    return message


def _domain_of(address: str) -> str | None:
    return address.rsplit("@", 1)[1].strip("> ") if "@" in address else None


def check_sendable(kind: str, direction: str | None, to: str | None) -> None:
    """Only outgoing e-mails with a recipient can be sent."""
    if kind != InteractionKind.EMAIL or direction != Direction.OUTGOING:
        raise MailError(_("only an outgoing e-mail can be sent"))
    if not to or "@" not in to:
        raise MailError(_("the e-mail has no recipient address"))


def send(settings: SmtpSettings, mail: OutgoingMail) -> str:
    """Send `mail`; return its Message-ID. Raises MailError with a clear message and no
    chained error: smtplib's frames hold the login exchange (the password) in their
    locals, and a traceback printed with locals would show it."""
    try:
        return _send(settings, mail)
    except MailError as error:
        message = str(error)
    raise MailError(message)


def _send(settings: SmtpSettings, mail: OutgoingMail) -> str:
    if not settings.host:
        # The setting's label as the Settings screen shows it (screens/settings/rows.py).
        raise MailError(_("no SMTP server is set: fill in “{label}” in Settings").format(
            label=_("SMTP host")))
    if not settings.sender and not mail.sender:
        raise MailError(_("no sender address: fill in your sender address in Settings"))
    mail = OutgoingMail(mail.sender or settings.sender, mail.to, mail.subject, mail.body,
                        mail.message_id)
    message = build_message(mail)
    try:
        client = _connect(settings)
        try:
            if settings.login:
                _login(client, settings)
            refused = client.send_message(message)
        finally:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()
    except smtplib.SMTPAuthenticationError as error:
        raise MailError(_("the SMTP server refused the login {login}: {reason}").format(
            login=settings.login, reason=_reason(error))) from error
    except smtplib.SMTPNotSupportedError as error:
        raise MailError(_("the SMTP server does not support this: {reason}")
                        .format(reason=_reason(error))) from error
    except smtplib.SMTPRecipientsRefused as error:
        raise MailError(_("the SMTP server refused the recipient {to}").format(to=mail.to)) \
            from error
    except smtplib.SMTPException as error:
        raise MailError(_("the SMTP server refused the message: {reason}")
                        .format(reason=_reason(error))) from error
    except ssl.SSLError as error:
        raise MailError(_("TLS with {host}:{port} failed: {reason}").format(
            host=settings.host, port=settings.port, reason=error.reason or error)) from error
    except TimeoutError as error:
        raise MailError(_("no answer from the SMTP server {host}:{port}").format(
            host=settings.host, port=settings.port)) from error
    except UnicodeError as error:  # never its text: it may quote the password
        raise MailError(_("the SMTP server cannot take the non-Latin characters of the "
                          "addresses or the message")) from error
    except OSError as error:
        raise MailError(_("cannot connect to the SMTP server {host}:{port}: {reason}").format(
            host=settings.host, port=settings.port, reason=error.strerror or error)) from error
    if refused:
        raise MailError(_("the SMTP server refused the recipient {to}").format(to=mail.to))
    return str(message["Message-ID"])


def _reason(error: smtplib.SMTPException) -> str:
    text = getattr(error, "smtp_error", b"")
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    code = getattr(error, "smtp_code", None)
    return f"{code} {text}".strip() if code else str(text or error)


def _login(client: smtplib.SMTP, settings: SmtpSettings) -> None:
    """Log in with ONE mechanism the server offers (PLAIN, LOGIN, then CRAM-MD5).

    smtplib's login() tries every mechanism in turn: a wrong password would count as
    several failed logins on servers that lock accounts, and some servers hang up on
    the second try."""
    client.ehlo_or_helo_if_needed()
    if not client.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError(_("the server offers no login (AUTH)"))
    offered = client.esmtp_features["auth"].upper().split()
    client.user, client.password = settings.login, settings.password
    for mechanism in ("PLAIN", "LOGIN", "CRAM-MD5"):
        if mechanism in offered:
            if not (settings.login + settings.password).isascii():
                _auth_utf8(client, mechanism, settings.login, settings.password)
                return
            method = getattr(client, "auth_" + mechanism.lower().replace("-", "_"))
            client.auth(mechanism, method, initial_response_ok=mechanism != "CRAM-MD5")
            return
    raise smtplib.SMTPNotSupportedError(_("no login mechanism in common with the server"))


def _auth_utf8(client: smtplib.SMTP, mechanism: str, login: str, password: str) -> None:
    """Log in with a login or password that is not ASCII, sent as UTF-8 (RFC 4616 for
    PLAIN; what servers accept for LOGIN and CRAM-MD5). smtplib's own mechanisms encode
    them as ASCII and fail with UnicodeEncodeError."""
    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    user, secret = login.encode("utf-8"), password.encode("utf-8")
    if mechanism == "PLAIN":
        code, reply = client.docmd("AUTH", "PLAIN " + b64(b"\0" + user + b"\0" + secret))
    elif mechanism == "LOGIN":
        code, reply = client.docmd("AUTH", "LOGIN " + b64(user))
        if code == 334:
            code, reply = client.docmd(b64(secret))
    else:  # CRAM-MD5
        code, reply = client.docmd("AUTH", "CRAM-MD5")
        if code == 334:
            digest = hmac.new(secret, base64.b64decode(reply), "md5").hexdigest()
            code, reply = client.docmd(b64(user + b" " + digest.encode("ascii")))
    if code not in (235, 503):  # 503: already authenticated
        raise smtplib.SMTPAuthenticationError(code, reply)


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_S,
                                context=ssl.create_default_context())
    client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_S)
    client.ehlo()
    if settings.security == "starttls":
        client.starttls(context=ssl.create_default_context())
        client.ehlo()
    return client
