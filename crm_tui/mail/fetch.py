"""Fetch the user's new mail over IMAP into incoming e-mail interactions.

Incremental and idempotent: per folder the UIDVALIDITY and the last UID stored are kept in
`mail_folder_state`, updated in the same transaction as each message's interaction, so an
interrupted fetch resumes after the last message stored and a second fetch adds nothing;
a Message-ID stored before (from any folder, or sent by us) is skipped. The server is not
changed: the folder is opened read-only (EXAMINE) and bodies read with BODY.PEEK, unless
the setting mail_mark_read asks to mark fetched mail as read.

No textual here: the app calls `fetch_mail` in a worker thread, the CLI directly. Every
failure is a MailError with one clear, translated line; none is chained to imaplib's
frames, which hold the password."""

from __future__ import annotations

import contextlib
import imaplib
import ssl
from dataclasses import dataclass, field
from typing import Any

from crm_tui import credentials
from crm_tui.domain.mail_message import one_line, parse
from crm_tui.i18n import _
from crm_tui.mail.smtp import MailError
from crm_tui.store.database import Database

TIMEOUT_S = 30.0


@dataclass(frozen=True)
class ImapSettings:
    """The user's mailbox (their credentials)."""

    host: str
    port: int
    security: str  # "ssl", "starttls" or "none"
    login: str
    password: str = field(repr=False)  # never in a repr, so never in a traceback's locals
    folder: str = "INBOX"

    @classmethod
    def from_credentials(cls, values: dict[str, Any] | None = None) -> ImapSettings:
        values = credentials.load() if values is None else values
        secret = values.get("imap_password")
        return cls(
            host=str(values.get("imap_host") or "").strip(),
            port=int(values.get("imap_port") or 993),
            security=str(values.get("imap_security") or "ssl"),
            login=str(values.get("imap_login") or "").strip(),
            password=secret.reveal() if isinstance(secret, credentials.Secret) else "",
            folder=str(values.get("imap_folder") or "INBOX"),
        )

    @property
    def account(self) -> str:
        return f"{self.login}@{self.host}:{self.port}"

    @property
    def configured(self) -> bool:
        return bool(self.host and self.login)


@dataclass
class FetchResult:
    new: int = 0  # interactions created
    known: int = 0  # messages whose Message-ID was stored before
    unknown_senders: int = 0
    keys: list[str] = field(default_factory=list)


class _Failure(Exception):
    """A MailError's message, raised inside the IMAP conversation."""


def fetch_mail(db: Database, manager_login: str | None = None,
               settings: ImapSettings | None = None) -> FetchResult:
    """Fetch new messages of the user's mailbox folder into interactions of
    `manager_login` (default: the current user). Raises MailError (one clear line)."""
    settings = settings or ImapSettings.from_credentials()
    if not settings.configured:
        raise MailError(_("no mailbox is set: fill in your IMAP server and login in Settings"))
    try:
        return _fetch(db, manager_login, settings)
    except _Failure as failure:
        message = str(failure)
    raise MailError(message)  # outside the except: no chained imaplib frames


def _fetch(db: Database, manager_login: str | None, settings: ImapSettings) -> FetchResult:
    from crm_tui.store.repo_mail import (
        folder_position,
        is_stored,
        save_folder_position,
        user_exists,
    )
    from crm_tui.store.settings import get_setting

    with db.read() as session:
        if manager_login is not None and not user_exists(session, manager_login):
            raise _Failure(_("user {login} does not exist").format(login=manager_login))
        position = folder_position(session, settings.account, settings.folder)
        mark_read = bool(get_setting(session, "mail_mark_read"))
    client = _connect(settings)
    try:
        _login(client, settings)
        uidvalidity = _select(client, settings, readonly=not mark_read)
        last_uid = position[1] if position and position[0] == uidvalidity else 0
        result = FetchResult()
        for uid in _new_uids(client, settings, last_uid):
            raw = _body(client, settings, uid)
            mail = parse(raw)
            with db.write() as session:  # one message, one transaction
                if mail.message_id and is_stored(session, mail.message_id):
                    result.known += 1
                else:
                    _store(session, mail, manager_login, result)
                save_folder_position(session, settings.account, settings.folder,
                                     uidvalidity, uid)
            if mark_read:
                _run(settings, lambda uid=uid: client.uid("STORE", str(uid), "+FLAGS",
                                                          "(\\Seen)"))
        return result
    finally:
        try:
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            _close(client)


def _close(client: imaplib.IMAP4) -> None:
    """Drop the connection (it may be broken already)."""
    with contextlib.suppress(OSError, imaplib.IMAP4.error):
        client.shutdown()


def _store(session: Any, mail: Any, manager_login: str | None, result: FetchResult) -> None:
    from crm_tui.store.repo_mail import store_incoming

    stored = store_incoming(session, mail, manager_login)
    if stored is None:
        result.known += 1
        return
    result.new += 1
    result.keys.append(stored.key)
    result.unknown_senders += stored.unknown_sender


def _where(settings: ImapSettings) -> str:
    return f"{settings.host}:{settings.port}"


def _run(settings: ImapSettings, call: Any) -> Any:
    """One IMAP command; network and protocol failures become one clear line."""
    try:
        return call()
    except imaplib.IMAP4.abort as error:
        raise _Failure(_("the IMAP server {where} closed the connection: {reason}").format(
            where=_where(settings), reason=one_line(str(error), 200))) from None
    except TimeoutError:
        raise _Failure(_("the IMAP server {where} stopped answering").format(
            where=_where(settings))) from None
    except ssl.SSLError as error:
        raise _Failure(_("TLS with the IMAP server {where} failed: {reason}").format(
            where=_where(settings), reason=error.reason or error)) from None
    except OSError as error:
        raise _Failure(_("the connection to the IMAP server {where} failed: {reason}")
                       .format(where=_where(settings),
                               reason=error.strerror or error)) from None


def _connect(settings: ImapSettings) -> imaplib.IMAP4:
    context = ssl.create_default_context()
    try:
        if settings.security == "ssl":
            return imaplib.IMAP4_SSL(settings.host, settings.port, ssl_context=context,
                                     timeout=TIMEOUT_S)
        client = imaplib.IMAP4(settings.host, settings.port, timeout=TIMEOUT_S)
    except ssl.SSLCertVerificationError as error:
        raise _Failure(_("the IMAP server {where} has a certificate that is not trusted: "
                         "{reason}").format(where=_where(settings),
                                            reason=error.verify_message or error)) from None
    except ssl.SSLError as error:
        raise _Failure(_("TLS with the IMAP server {where} failed: {reason} (is the port and "
                         "the security right?)").format(where=_where(settings),
                                                        reason=error.reason or error)) from None
    except (TimeoutError, imaplib.IMAP4.abort):
        raise _Failure(_("no answer from the IMAP server {where}").format(
            where=_where(settings))) from None
    except OSError as error:
        raise _Failure(_("cannot connect to the IMAP server {where}: {reason}").format(
            where=_where(settings), reason=error.strerror or error)) from None
    if settings.security == "starttls":
        if "STARTTLS" not in client.capabilities:
            _close(client)
            raise _Failure(_("the IMAP server {where} does not offer STARTTLS").format(
                where=_where(settings)))
        try:
            client.starttls(ssl_context=context)
        except ssl.SSLCertVerificationError as error:
            _close(client)
            raise _Failure(_("the IMAP server {where} has a certificate that is not "
                             "trusted: {reason}").format(
                where=_where(settings), reason=error.verify_message or error)) from None
        except (ssl.SSLError, imaplib.IMAP4.error, OSError) as error:
            _close(client)
            raise _Failure(_("TLS with the IMAP server {where} failed: {reason}").format(
                where=_where(settings), reason=one_line(str(error), 200))) from None
    return client


def _login(client: imaplib.IMAP4, settings: ImapSettings) -> None:
    """AUTHENTICATE PLAIN where offered (UTF-8 passwords work), else LOGIN."""
    def plain(_challenge: bytes) -> bytes:
        return b"\0" + settings.login.encode() + b"\0" + settings.password.encode()

    try:
        if "AUTH=PLAIN" in client.capabilities:
            _run(settings, lambda: client.authenticate("PLAIN", plain))
        else:
            _run(settings, lambda: client.login(settings.login, settings.password))
    except imaplib.IMAP4.error as error:
        raise _Failure(_("the IMAP server refused the login {login}: {reason}").format(
            login=settings.login, reason=one_line(_text(error), 200))) from None


def _text(error: BaseException) -> str:
    value = error.args[0] if error.args else error
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _select(client: imaplib.IMAP4, settings: ImapSettings, readonly: bool) -> int:
    folder = settings.folder
    quoted = '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
    status, data = _run(settings, lambda: client.select(quoted, readonly=readonly))
    if status != "OK":
        raise _Failure(_("no folder {folder} in the mailbox: {reason}").format(
            folder=folder, reason=one_line(_text(Exception(*(data or [b""]))), 200)))
    _typ, values = client.response("UIDVALIDITY")
    try:
        return int(values[0])
    except (TypeError, ValueError, IndexError):
        return 0


def _new_uids(client: imaplib.IMAP4, settings: ImapSettings, after: int) -> list[int]:
    status, data = _run(settings, lambda: client.uid("SEARCH", f"UID {after + 1}:*"))
    if status != "OK":
        raise _Failure(_("the IMAP server {where} refused to list the messages").format(
            where=_where(settings)))
    found = b" ".join(part for part in data if isinstance(part, bytes)).split()
    # "n:*" always names the last message, even one at or below n.
    return sorted(uid for uid in (int(word) for word in found if word.isdigit())
                  if uid > after)


def _body(client: imaplib.IMAP4, settings: ImapSettings, uid: int) -> bytes:
    status, data = _run(settings, lambda: client.uid("FETCH", str(uid), "(BODY.PEEK[])"))
    if status != "OK":
        raise _Failure(_("the IMAP server {where} refused to send message {uid}").format(
            where=_where(settings), uid=uid))
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return b""
