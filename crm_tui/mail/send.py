"""Send an e-mail interaction from the database and record its Message-ID."""

from __future__ import annotations

from crm_tui.mail.smtp import (
    OutgoingMail,
    SmtpSettings,
    check_sendable,
    new_message_id,
    send,
)
from crm_tui.store.database import Database
from crm_tui.store.repo_interactions import get_interaction, record_message_id, set_message_id
from crm_tui.store.settings import all_settings


def send_interaction(db: Database, key: str) -> str:
    """Send interaction `key` (an outgoing e-mail); record the Message-ID and mark it done.

    The Message-ID is recorded before sending (a retry reuses it), so that a reply threads
    into this interaction's chain even if the app dies between sending and marking it
    done. Runs outside any transaction while talking to the server (a write lock is never
    held over the network). Returns the Message-ID; raises MailError / DomainError."""
    with db.read() as session:
        view = get_interaction(session, key)
        settings = SmtpSettings.from_settings(all_settings(session))
    check_sendable(view.kind, view.direction, view.email_to)
    sender = view.email_from or settings.sender
    message_id = view.message_id or new_message_id(sender)
    if not view.message_id:
        with db.write() as session:
            record_message_id(session, key, view.version, message_id)
    mail = OutgoingMail(sender, view.email_to or "", view.topic, view.text or "", message_id)
    message_id = send(settings, mail)
    with db.write() as session:
        current = get_interaction(session, key)
        set_message_id(session, key, current.version, message_id)
    return message_id
