"""Letters from an unknown sender: find them, and link them to a partner and a contact.

Fetched mail whose sender no contact knows is kept without a partner ("unknown sender",
repo_mail.store_incoming). Linking is done for the address, not one letter: every such
letter from it gets the partner (and contact), and the contact learns the address, so the
next letter from it is matched on arrival."""

from __future__ import annotations

from dataclasses import dataclass, replace
from email.utils import parseaddr

from sqlalchemy import Table, func, select
from sqlmodel import Session, SQLModel

from crm_tui.domain.enums import Direction, InteractionKind
from crm_tui.domain.partners import ContactInput


@dataclass(frozen=True)
class Sender:
    """Who a letter is from: the display name (may be empty) and the address, lower case."""

    name: str
    address: str

    @property
    def contact_name(self) -> str:
        """A name for a new contact: the display name, else the address's local part."""
        return self.name.strip() or self.address.split("@", 1)[0]


def sender_of(email_from: str | None) -> Sender | None:
    """The sender in an e-mail's From (`Name <a@b.ru>` or `a@b.ru`); None without an address."""
    name, address = parseaddr(email_from or "")
    if "@" not in address:
        return None
    return Sender(name, address.strip().lower())


@dataclass(frozen=True)
class Linked:
    """What linking did: how many letters, to which contact (None: the partner only)."""

    letters: int
    contact_key: str | None


def _t(name: str) -> Table:
    table: Table = SQLModel.metadata.tables[name]
    return table


def letters_from(session: Session, address: str) -> list[str]:
    """Keys of the incoming e-mails from `address` that have no partner yet, oldest first."""
    table = _t("interaction")
    wanted = address.strip().lower()
    rows = session.execute(
        select(table.c.key, table.c.email_from)
        .where(table.c.partner_id.is_(None), table.c.kind == InteractionKind.EMAIL.value,
               table.c.direction == Direction.INCOMING.value,
               func.lower(table.c.email_from).contains(wanted, autoescape=True))
        .order_by(table.c.id))
    keys = []
    for key, email_from in rows:
        sender = sender_of(email_from)
        if sender is not None and sender.address == wanted:
            keys.append(str(key))
    return keys


def link_sender(session: Session, address: str, partner_key: str,
                contact_key: str | None = None, new_contact: str | None = None) -> Linked:
    """Link every letter from `address` without a partner to `partner_key`.

    The contact is `contact_key` (the address is added to its e-mails when missing), or a new
    contact named `new_contact` with this address, or else the partner's contact that already
    has the address (a partner just made by the wizard), or none. One transaction: the
    caller's write session."""
    from crm_tui.store.repo_interactions import get_interaction, update_interaction
    from crm_tui.store.repo_mail import contact_by_email
    from crm_tui.store.repo_partners_read import get_contact, get_partner
    from crm_tui.store.repo_partners_write import add_contact, update_contact

    wanted = address.strip().lower()
    get_partner(session, partner_key)  # NotFoundError when it went meanwhile
    if contact_key is not None:
        contact = get_contact(session, contact_key)
        if wanted not in {e.strip().lower() for e in contact.emails}:
            update_contact(session, contact_key, contact.version, ContactInput(
                contact.name, contact.position, contact.phones, (*contact.emails, wanted)))
    elif new_contact is not None:
        contact_key = add_contact(session, partner_key,
                                  ContactInput(new_contact.strip(), emails=(wanted,)))
    else:
        found = contact_by_email(session, wanted)
        contact_key = found[1] if found is not None and found[0] == partner_key else None
    keys = letters_from(session, wanted)
    for key in keys:
        letter = get_interaction(session, key)
        update_interaction(session, key, letter.version, replace(
            letter.draft(), partner_key=partner_key, contact_key=contact_key))
    return Linked(len(keys), contact_key)
