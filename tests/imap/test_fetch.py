"""Fetching mail from a real Dovecot into incoming e-mail interactions."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import pytest
from sqlalchemy import func, select, text

from crm_tui.cli.main import main
from crm_tui.domain.interactions import chain_subject
from crm_tui.mail import fetch as fetch_module
from crm_tui.mail.fetch import fetch_mail
from crm_tui.mail.smtp import MailError
from crm_tui.store import repo_mail
from crm_tui.store.database import Database
from crm_tui.store.repo_interactions import chain, get_interaction
from tests.imap.conftest import Mailbox
from tests.unit.interactions.helpers import interaction, load

CONTACT = {"type": "contact", "id": "K9", "partner": "P1", "name": "Oleg Client",
           "emails": ["Oleg@Client.example"]}
SENT_ID = "<sent-1@crm.example>"


def message(subject: str, sender: str = "oleg@client.example", body: str = "Hello",
            message_id: str | None = None, reply_to: str | None = None,
            html: str | None = None,
            attachment: tuple[str, bytes] | None = None) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "anna@crm.example"
    mail["Subject"] = subject
    mail["Date"] = format_datetime(datetime(2026, 1, 14, 9, 15).astimezone())
    mail["Message-ID"] = message_id or f"<{abs(hash((subject, sender)))}@client.example>"
    if reply_to:
        mail["In-Reply-To"] = reply_to
        mail["References"] = f"<older@x.example> {reply_to}"
    if html is not None:
        mail.set_content(html, subtype="html")
    else:
        mail.set_content(body)
    if attachment:
        mail.add_attachment(attachment[1], maintype="application", subtype="octet-stream",
                            filename=attachment[0])
    return bytes(mail)


@pytest.fixture
def crm(db: Database) -> Database:
    load(db, CONTACT, interaction("I1", "2026-01-10T10:00:00", kind="email",
                                  direction="outgoing", email_to="oleg@client.example",
                                  message_id=SENT_ID, status="done", topic="Our offer"))
    return db


def count(db: Database) -> int:
    with db.read() as session:
        return int(session.execute(text("SELECT count(*) FROM interaction")).scalar_one())


def test_new_mail_becomes_matched_threaded_interactions(crm: Database,
                                                        mailbox: Mailbox) -> None:
    mailbox.deliver(
        message("Prices", attachment=("price.xlsx", b"PK\x03\x04 table")),
        message("Re: Our offer", reply_to=SENT_ID, body="Agreed, send the contract."),
        message("\x1b]52;c;aGk=\x07[b]Win[/b] $$$", sender="spam@nowhere.example",
                html="<html><head><style>p{}</style></head><body><p>Click "
                     "<b>here</b></p><p>now&amp;then</p></body></html>"),
    )
    before = count(crm)
    result = fetch_mail(crm)
    assert (result.new, result.known, result.unknown_senders) == (3, 0, 1)
    with crm.read() as session:
        prices, reply, spam = (get_interaction(session, key) for key in result.keys)
        files = repo_mail.list_files(session, prices.key)
        content = repo_mail.file_content(session, files[0].id)
        thread = chain(session, _chain_of(session, reply.key))
    # Matched by the contact's address (any case), in progress, incoming.
    assert (prices.kind, prices.direction, prices.status) == ("email", "incoming",
                                                               "in_progress")
    assert (prices.partner_key, prices.contact_key) == ("P1", "K9")
    assert prices.topic == "Prices" and prices.text == "Hello"
    assert prices.email_from == "oleg@client.example"
    assert prices.email_to == "anna@crm.example"
    assert prices.message_id and prices.message_id.endswith("@client.example>")
    assert prices.at == datetime(2026, 1, 14, 9, 15)
    assert [(f.name, f.size) for f in files] == [("price.xlsx", 10)]
    assert content == b"PK\x03\x04 table"
    # The reply joins the chain of the e-mail we sent.
    assert [item.key for item in thread] == ["I1", reply.key]
    # Unknown sender: kept, marked, hostile text kept as data, HTML made readable.
    assert spam.partner_key is None and spam.text is not None
    assert "unknown sender spam@nowhere.example" in spam.text
    assert "\x1b" not in spam.topic and "[b]Win[/b] $$$" in spam.topic
    assert "Click\nhere" not in spam.text and "Click here" in spam.text
    assert "now&then" in spam.text and "p{}" not in spam.text
    assert count(crm) == before + 3
    # Fetching again adds nothing; the server was not changed (no \Seen, no delete).
    again = fetch_mail(crm)
    assert (again.new, again.known) == (0, 0) and count(crm) == before + 3
    assert all(b"\\Seen" not in flags for flags in mailbox.flags())
    assert len(mailbox.flags()) == 3


def test_a_message_id_stored_before_is_never_stored_again(crm: Database,
                                                          mailbox: Mailbox) -> None:
    mailbox.deliver(message("Once", message_id="<same@client.example>"))
    assert fetch_mail(crm).new == 1
    # The same message again (a copy in the folder, then in another folder of the same
    # account, as after a move) is recognised by its Message-ID.
    mailbox.deliver(message("Once", message_id="<same@client.example>"))
    again = fetch_mail(crm)
    assert (again.new, again.known) == (0, 1)
    mailbox.deliver(message("Our own", message_id=SENT_ID))  # a copy of what we sent
    assert fetch_mail(crm).known == 1


def test_an_interrupted_fetch_leaves_nothing_half_written_and_resumes(
        crm: Database, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch) -> None:
    mailbox.deliver(message("First"), message("Second", attachment=("a.bin", b"x")),
                    message("Third"))
    before = count(crm)
    real = repo_mail.file_rules.safe_file_name

    def killed(name: str) -> str:  # dies after the interaction row, before its file
        raise KeyboardInterrupt

    monkeypatch.setattr(repo_mail.file_rules, "safe_file_name", killed)
    with pytest.raises(KeyboardInterrupt):
        fetch_mail(crm)
    assert count(crm) == before + 1  # "First" only: "Second" was rolled back whole
    monkeypatch.setattr(repo_mail.file_rules, "safe_file_name", real)
    result = fetch_mail(crm)
    assert result.new == 2 and count(crm) == before + 3
    with crm.read() as session:
        topics = sorted(get_interaction(session, key).topic for key in result.keys)
    assert topics == ["Second", "Third"]
    assert fetch_mail(crm).new == 0


def test_an_attachment_over_the_limit_is_skipped_with_a_note(
        crm: Database, mailbox: Mailbox) -> None:
    from crm_tui.store.settings import save_settings

    with crm.write() as session:
        save_settings(session, {"attachment_limit_mb": 1})
    mailbox.deliver(message("Big", attachment=("big.bin", b"\0" * (1024 * 1024 + 10))))
    result = fetch_mail(crm)
    with crm.read() as session:
        stored = get_interaction(session, result.keys[0])
        files = repo_mail.list_files(session, stored.key)
    assert files == []
    assert stored.text is not None and "big.bin" in stored.text and "1 MB" in stored.text


def test_malformed_mime_is_stored_with_a_note(crm: Database, mailbox: Mailbox) -> None:
    broken = (b"From: oleg@client.example\r\nSubject: =?utf-8?B?broken\r\n"
              b"Message-ID: <broken@client.example>\r\nContent-Type: multipart/mixed; "
              b"boundary=\"zz\"\r\nDate: not a date\r\n\r\n--zz\r\nContent-Type: text/plain; "
              b"charset=no-such-charset\r\nContent-Transfer-Encoding: base64\r\n\r\n"
              b"SGVsbG8gd29ybGQ=\r\n--zz")  # no closing boundary
    mailbox.deliver(broken)
    result = fetch_mail(crm)
    assert result.new == 1
    with crm.read() as session:
        stored = get_interaction(session, result.keys[0])
    assert stored.text is not None and "Hello world" in stored.text
    assert "⚠" in stored.text and stored.partner_key == "P1"


def test_marking_read_only_when_the_setting_asks(crm: Database, mailbox: Mailbox) -> None:
    from crm_tui.store.settings import save_settings

    with crm.write() as session:
        save_settings(session, {"mail_mark_read": True})
    mailbox.deliver(message("Read me"))
    assert fetch_mail(crm).new == 1
    assert all(b"\\Seen" in flags for flags in mailbox.flags())


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_both_ways(crm: Database, mailbox: Mailbox, security: str) -> None:
    mailbox.use(security)
    mailbox.deliver(message(f"Over {security}"))
    assert fetch_mail(crm).new == 1


def one_line_error(db: Database) -> str:
    with pytest.raises(MailError) as raised:
        fetch_mail(db)
    error = raised.value
    assert "\n" not in str(error)
    assert error.__cause__ is None and error.__context__ is None  # no imaplib frames
    return str(error)


def test_a_wrong_password_is_one_clear_line(crm: Database, mailbox: Mailbox) -> None:
    mailbox.use(password="wrong")
    assert "refused the login " + mailbox.user in one_line_error(crm)


def test_an_untrusted_certificate_is_refused(crm: Database, mailbox: Mailbox,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE")
    mailbox.use("ssl")
    assert "certificate that is not trusted" in one_line_error(crm)
    mailbox.use("starttls")
    assert "certificate that is not trusted" in one_line_error(crm)


def test_tls_to_a_plain_port_is_one_clear_line(crm: Database, mailbox: Mailbox) -> None:
    mailbox.use("ssl", port=mailbox.server.imap_port)
    assert "TLS with the IMAP server" in one_line_error(crm)


def test_no_server_is_one_clear_line(crm: Database, mailbox: Mailbox) -> None:
    from tests.imap.dovecot import free_port

    mailbox.use("none", port=free_port())
    assert "cannot connect to the IMAP server 127.0.0.1" in one_line_error(crm)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[Any] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(listener.getsockname()[1])
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def test_a_server_that_stops_answering_times_out(crm: Database, mailbox: Mailbox,
                                                 silent_server: int,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch_module, "TIMEOUT_S", 1.0)
    mailbox.use("none", port=silent_server)
    assert "no answer from the IMAP server" in one_line_error(crm)


def test_the_cli_fetches_once_and_says_how_many(crm: Database, mailbox: Mailbox,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    mailbox.deliver(message("By cron"))
    database = crm.url.removeprefix("sqlite:///")
    assert main(["--db", database, "mail", "fetch", "--user", "petrova"]) == 0
    assert "1 new e-mail" in capsys.readouterr().out
    with crm.read() as session:
        manager = session.execute(text(
            "SELECT u.login FROM interaction i JOIN app_user u ON u.id = i.manager_id "
            "WHERE i.topic = 'By cron'")).scalar_one()
    assert manager == "petrova"
    assert main(["--db", database, "mail", "fetch", "--user", "nobody"]) == 1
    assert capsys.readouterr().err.strip() == "crm: user nobody does not exist"
    mailbox.use(password="wrong")
    assert main(["--db", database, "mail", "fetch"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("crm: the IMAP server refused the login") and err.count("\n") == 1
    with crm.read() as session:
        assert session.execute(select(func.count()).select_from(
            text("mail_folder_state"))).scalar_one() == 1


def test_a_connection_lost_mid_fetch_is_one_line_and_the_next_fetch_resumes(
        crm: Database, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch) -> None:
    mailbox.deliver(message("One"), message("Two"), message("Three"))
    before = count(crm)
    real = fetch_module._body
    calls: list[int] = []

    def cut(client: Any, settings: Any, uid: int) -> bytes:
        calls.append(uid)
        if len(calls) == 2:  # the network goes away before the second message
            client.socket().shutdown(socket.SHUT_RDWR)
        return real(client, settings, uid)

    monkeypatch.setattr(fetch_module, "_body", cut)
    message_text = one_line_error(crm)
    assert "IMAP server 127.0.0.1" in message_text
    assert count(crm) == before + 1
    monkeypatch.setattr(fetch_module, "_body", real)
    result = fetch_mail(crm)
    assert result.new == 2 and count(crm) == before + 3


def _chain_of(session: Any, key: str) -> Any:
    """The subject whose chain interaction `key` belongs to."""
    current = get_interaction(session, key)
    return chain_subject(current.key, current.subject)
