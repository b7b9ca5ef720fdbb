"""Incoming e-mail in the store: one message becomes one incoming e-mail interaction (with
its attachments and the folder's new position) in the caller's one transaction.

Threads: a message naming (In-Reply-To, References) one we sent or received joins that
interaction's chain. Duplicates: a Message-ID stored before is never stored again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Table, func, insert, select, update
from sqlmodel import Session, SQLModel

from crm_tui.domain import claims as file_rules
from crm_tui.domain import clock
from crm_tui.domain.enums import Direction, InteractionKind, InteractionStatus
from crm_tui.domain.interactions import InteractionDraft
from crm_tui.domain.mail_message import IncomingMail
from crm_tui.i18n import _
from crm_tui.store import models_mail  # noqa: F401 - the tables below
from crm_tui.store.attachments import limit_mb
from crm_tui.store.repo_interactions import create_interaction

NOTE_MARK = "⚠ "


def _t(name: str) -> Table:
    return SQLModel.metadata.tables[name]


@dataclass(frozen=True)
class InteractionFile:
    """An interaction's attachment without its content."""

    id: int
    seq: int
    name: str
    size: int
    mime: str


# ------------------------------------------------------------------ folder positions
def folder_position(session: Session, account: str, folder: str) -> tuple[int, int] | None:
    """(UIDVALIDITY, last UID stored) of a mailbox folder, None before its first fetch."""
    t = _t("mail_folder_state")
    row = session.execute(select(t.c.uidvalidity, t.c.last_uid)
                          .where(t.c.account == account, t.c.folder == folder)).first()
    return (int(row[0]), int(row[1])) if row else None


def save_folder_position(session: Session, account: str, folder: str, uidvalidity: int,
                         last_uid: int) -> None:
    t = _t("mail_folder_state")
    if folder_position(session, account, folder) is not None:
        session.execute(update(t).where(t.c.account == account, t.c.folder == folder)
                        .values(uidvalidity=uidvalidity, last_uid=last_uid))
    else:
        session.execute(insert(t).values(account=account, folder=folder,
                                         uidvalidity=uidvalidity, last_uid=last_uid))


# ------------------------------------------------------------------ lookups
def user_exists(session: Session, login: str) -> bool:
    users = _t("app_user")
    return session.execute(select(users.c.id).where(users.c.login == login)).first() \
        is not None


def is_stored(session: Session, message_id: str) -> bool:
    t = _t("interaction")
    return session.execute(select(t.c.id).where(t.c.message_id == message_id)
                           .limit(1)).first() is not None


def thread_parent(session: Session, message_ids: Sequence[str]) -> str | None:
    """The key of the interaction a reply continues: the first of `message_ids` (the
    direct parent first) that we sent or received."""
    t = _t("interaction")
    for message_id in message_ids:
        key = session.execute(select(t.c.key).where(t.c.message_id == message_id)
                              .order_by(t.c.id).limit(1)).scalar()
        if key is not None:
            return str(key)
    return None


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contact_by_email(session: Session, address: str) -> tuple[str, str] | None:
    """(partner key, contact key) of the first contact with this e-mail address."""
    if "@" not in address:
        return None
    contact, partner = _t("contact"), _t("partner")
    wanted = address.strip().lower()
    rows = session.execute(
        select(contact.c.key, contact.c.emails, partner.c.key)
        .join(partner, partner.c.id == contact.c.partner_id)
        .where(func.lower(contact.c.emails).like(f'%"{_like(wanted)}"%', escape="\\"))
        .order_by(contact.c.id))
    for contact_key, emails, partner_key in rows:
        try:
            found = {str(e).strip().lower() for e in json.loads(emails or "[]")}
        except ValueError:
            continue
        if wanted in found:
            return str(partner_key), str(contact_key)
    return None


def list_files(session: Session, interaction_key: str) -> list[InteractionFile]:
    t, files = _t("interaction"), _t("interaction_attachment")
    rows = session.execute(
        select(files.c.id, files.c.seq, files.c.name, files.c.size, files.c.mime)
        .join(t, t.c.id == files.c.interaction_id)
        .where(t.c.key == interaction_key).order_by(files.c.seq))
    return [InteractionFile(*row) for row in rows]


def file_content(session: Session, file_id: int) -> bytes:
    files = _t("interaction_attachment")
    return bytes(session.execute(select(files.c.content).where(files.c.id == file_id))
                 .scalar_one())


# ------------------------------------------------------------------ storing
@dataclass(frozen=True)
class Stored:
    key: str
    unknown_sender: bool


def store_incoming(session: Session, mail: IncomingMail,
                   manager_login: str | None = None) -> Stored | None:
    """Store `mail` as an incoming e-mail interaction (in progress); None when its
    Message-ID is stored already."""
    if mail.message_id and is_stored(session, mail.message_id):
        return None
    notes = list(mail.notes)
    limit = limit_mb(session)
    kept = []
    for attachment in mail.attachments:
        if len(attachment.content) > limit * 1024 * 1024:
            notes.append(_("the attachment {name} ({size:.1f} MB) is over the {limit:g} MB "
                           "limit and was not stored").format(
                name=attachment.name, size=len(attachment.content) / 1024 / 1024,
                limit=limit))
        else:
            kept.append(attachment)
    found = contact_by_email(session, mail.sender)
    if found is None:
        notes.append(_("unknown sender {address}: no contact has this e-mail address").format(
            address=mail.sender or "?"))
    text = "\n".join(NOTE_MARK + note for note in notes)
    if mail.text:
        text = f"{text}\n\n{mail.text}" if text else mail.text
    draft = InteractionDraft(
        kind=InteractionKind.EMAIL.value,
        topic=mail.subject.strip() or _("(no subject)"),
        at=mail.sent_at or clock.now().replace(microsecond=0),
        status=InteractionStatus.IN_PROGRESS.value,
        partner_key=found[0] if found else None,
        contact_key=found[1] if found else None,
        manager_login=manager_login,
        direction=Direction.INCOMING.value,
        email_from=mail.sender_display or None,
        email_to=mail.to if "@" in mail.to else None,
        text=text or None,
    )
    parent = thread_parent(session, mail.replies_to)
    key = create_interaction(session, draft, follow_up_of=parent)
    t = _t("interaction")
    interaction_id = session.execute(select(t.c.id).where(t.c.key == key)).scalar_one()
    if mail.message_id:
        session.execute(update(t).where(t.c.id == interaction_id)
                        .values(message_id=mail.message_id))
    files = _t("interaction_attachment")
    for seq, attachment in enumerate(kept, start=1):
        session.execute(insert(files).values(
            interaction_id=interaction_id, seq=seq,
            name=file_rules.safe_file_name(attachment.name), size=len(attachment.content),
            mime=attachment.mime, sha256=hashlib.sha256(attachment.content).hexdigest(),
            content=attachment.content))
    return Stored(key, found is None)


def unknown_sender(partner_key: str | None, kind: str, direction: str | None) -> bool:
    """An incoming e-mail no contact is known for."""
    return partner_key is None and kind == InteractionKind.EMAIL \
        and direction == Direction.INCOMING
