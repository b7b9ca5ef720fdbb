"""The inbox's "link sender" flow: read the letter, ask (LinkSenderDialog), then link every
letter from that address in one write, or start the partner wizard with the sender filled in
and link to the partner it makes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crm_tui.domain.errors import DomainError
from crm_tui.i18n import _
from crm_tui.screens.interactions.link_sender import LinkChoice, LinkSenderDialog
from crm_tui.screens.navigation import new_record
from crm_tui.store.mail_senders import Sender, sender_of

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm_tui.screens.interactions.inbox import InboxScreen


@dataclass(frozen=True)
class Letter:
    """What the flow needs of the chosen letter."""

    sender: Sender | None
    unknown: bool
    letters: int


def ask_link_sender(inbox: InboxScreen, key: str) -> None:
    """Start the flow for the letter `key` (a letter from a known sender is refused)."""

    def read(session: Session) -> Letter:
        from crm_tui.store.mail_senders import letters_from
        from crm_tui.store.repo_interactions import get_interaction
        from crm_tui.store.repo_mail import unknown_sender

        view = get_interaction(session, key)
        sender = sender_of(view.email_from)
        unknown = unknown_sender(view.partner_key, view.kind, view.direction)
        count = len(letters_from(session, sender.address)) if sender and unknown else 0
        return Letter(sender, unknown, count)

    inbox.load_data(read, lambda letter: _ask(inbox, letter), channel="link-sender")


def _ask(inbox: InboxScreen, letter: Letter) -> None:
    if not letter.unknown:
        inbox.notify(_("The sender of this interaction is known: only incoming letters "
                       "from an unknown sender are linked here"), severity="warning",
                     markup=False)
        return
    sender = letter.sender
    if sender is None:
        inbox.notify(_("This letter has no sender address to link"), severity="warning",
                     markup=False)
        return

    def chosen(choice: LinkChoice | None) -> None:
        if choice is None:
            return
        if choice.wizard:
            new_record(inbox, "partner", on_done=lambda partner: _made(inbox, sender, partner),
                       contact_name=sender.contact_name, contact_email=sender.address)
        elif choice.partner_key is not None:
            _link(inbox, sender, choice.partner_key, choice.contact_key,
                  None if choice.contact_key else sender.contact_name)

    inbox.app.push_screen(LinkSenderDialog(sender, letter.letters), chosen)


def _made(inbox: InboxScreen, sender: Sender, partner_key: object) -> None:
    """The wizard closed: link to the partner it made (its contact has the address)."""
    if isinstance(partner_key, str) and partner_key:
        _link(inbox, sender, partner_key, None, None)


def _link(inbox: InboxScreen, sender: Sender, partner_key: str, contact_key: str | None,
          new_contact: str | None) -> None:
    def write() -> None:
        from crm_tui.store.mail_senders import link_sender
        from crm_tui.store.repo_partners_read import get_partner

        try:
            with inbox.db.write() as session:
                linked = link_sender(session, sender.address, partner_key, contact_key,
                                     new_contact)
                name = get_partner(session, partner_key).name
        except DomainError as error:
            inbox.app.call_from_thread(inbox.notify, str(error), severity="error",
                                       markup=False)
            return
        message = _("Letters from {address} linked to {partner}: {count}").format(
            address=sender.address, partner=name, count=linked.letters)
        inbox.app.call_from_thread(inbox.linked, message)

    inbox.run_worker(write, thread=True, exclusive=True, group="inbox-write",
                     description="link sender")
