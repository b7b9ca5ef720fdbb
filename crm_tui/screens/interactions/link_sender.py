"""Link an unknown sender's letters to a partner and contact, or start the partner wizard.

Opened from the inbox (key `l`) on a letter whose sender no contact knows. The choice covers
every letter from that address (store/mail_senders.py); the contact learns the address, so
the next letter is matched when it arrives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, Select, Static

from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import CrmModal
from crm_tui.store.mail_senders import Sender
from crm_tui.store.partner_lookup import PartnerLookup
from crm_tui.widgets.key_bar import KeyBar
from crm_tui.widgets.partner_picker import PartnerPicker

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm_tui.store.repo_partners_read import ContactView

NEW_CONTACT = "\x00new"  # the contact choice "a new contact" (no real key looks like it)


@dataclass(frozen=True)
class LinkChoice:
    """What the user chose: a partner and contact (None: a new contact), or the wizard."""

    partner_key: str | None
    contact_key: str | None
    wizard: bool = False


class LinkSenderDialog(CrmModal[LinkChoice | None]):
    """Partner and contact for the letters of one unknown sender."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "link", N_("Link"), id="link-sender.link"),
        Binding("ctrl+n", "wizard", N_("New partner"), id="link-sender.wizard"),
        Binding("escape", "cancel", N_("Back"), id="link-sender.back"),
    ]
    CSS_PATH = "interactions.tcss"

    def __init__(self, sender: Sender, letters: int) -> None:
        super().__init__()
        self.sender = sender
        self.letters = letters

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = _("Unknown sender")
            who = f"{self.sender.name} <{self.sender.address}>" if self.sender.name \
                else self.sender.address
            yield Static(Text(_("Letters from {sender}: {count}. They are linked together, "
                                "and the contact learns the address.").format(
                sender=safe_display(who), count=self.letters)), id="link-what")
            yield Label(_("Partner"))
            yield PartnerPicker(source=PartnerLookup(self.app), id="link-partner")
            yield Label(_("Contact"))
            yield Select(self._contact_options([]), value=NEW_CONTACT, allow_blank=False,
                         id="link-contact")
            yield Static("", id="link-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#link-partner").query_one("Input").focus()

    def _contact_options(self, contacts: list[ContactView]) -> list[tuple[Text, str]]:
        new = _("New contact «{name}»").format(name=safe_display(self.sender.contact_name))
        return [(Text(new), NEW_CONTACT),
                *((Text(safe_display(c.name) + (f", {c.position}" if c.position else "")),
                   c.key) for c in contacts)]

    @on(PartnerPicker.Changed, "#link-partner")
    def _partner_changed(self, event: PartnerPicker.Changed) -> None:
        self.query_one("#link-error", Static).update("")
        key = event.partner_key
        if key is None:
            self._show_contacts([])
            return

        def read(session: Session) -> list[ContactView]:
            from crm_tui.store.repo_partners_read import get_partner

            return list(get_partner(session, key).contacts)

        self.load_data(read, self._show_contacts, channel="contacts")

    def _show_contacts(self, contacts: list[ContactView]) -> None:
        choice = self.query_one("#link-contact", Select)
        choice.set_options(self._contact_options(contacts))
        # A contact of the partner that already has the address is the likely one.
        known = next((c.key for c in contacts
                      if self.sender.address in {e.lower() for e in c.emails}), NEW_CONTACT)
        choice.value = known

    def action_link(self) -> None:
        partner = self.query_one(PartnerPicker).partner_key
        if partner is None:
            self.query_one("#link-error", Static).update(Text(
                _("Choose a partner, or press Ctrl+N for a new one"), style="bold red"))
            self.query_one("#link-partner").query_one("Input").focus()
            return
        contact = self.query_one("#link-contact", Select).value
        self.dismiss(LinkChoice(partner, None if contact == NEW_CONTACT else str(contact)))

    def action_wizard(self) -> None:
        self.dismiss(LinkChoice(None, None, wizard=True))

    def action_cancel(self) -> None:
        self.dismiss(None)
