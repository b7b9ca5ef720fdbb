"""Add or edit a contact person of a partner: phones normalised to E.164, e-mails checked."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from crm_tui.domain.errors import ConflictError, DomainError
from crm_tui.domain.partners import ContactInput
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import CrmModal
from crm_tui.store.repo_partners_read import ContactView
from crm_tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from sqlmodel import Session


def split_list(value: str) -> tuple[str, ...]:
    """Items typed as a comma- or semicolon-separated list."""
    return tuple(p.strip() for p in value.replace(";", ",").split(",") if p.strip())


class ContactFormScreen(CrmModal[str | None]):
    """A contact form; dismisses with the contact key once saved (None when cancelled)."""

    CSS_PATH = "partners.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="contact.save"),
        Binding("escape", "cancel", N_("Back"), id="contact.back"),
    ]

    def __init__(self, partner_key: str, contact_key: str | None = None) -> None:
        super().__init__()
        self.partner_key = partner_key
        self.contact_key = contact_key
        self._version = 0

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = _("Contact") if self.contact_key else _("New contact")
            yield Label(_("Name"))
            yield Input(id="contact-name")
            yield Label(_("Position"))
            yield Input(id="contact-position")
            yield Label(_("Phones (comma-separated)"))
            yield Input(id="contact-phones")
            yield Label(_("E-mails (comma-separated)"))
            yield Input(id="contact-emails")
            yield Static("", id="contact-error", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        if self.contact_key:
            self._load(self.contact_key)

    def _load(self, key: str) -> None:
        def read(session: Session) -> ContactView:
            from crm_tui.store.repo_partners_read import get_contact

            return get_contact(session, key)

        self.load_data(read, self._show)

    def _show(self, view: ContactView) -> None:
        self._version = view.version
        self.query_one("#contact-name", Input).value = safe_display(view.name)
        self.query_one("#contact-position", Input).value = safe_display(view.position)
        self.query_one("#contact-phones", Input).value = ", ".join(view.phones)
        self.query_one("#contact-emails", Input).value = ", ".join(view.emails)

    def data(self) -> ContactInput:
        """The typed contact (not yet validated)."""
        return ContactInput(
            name=self.query_one("#contact-name", Input).value,
            position=self.query_one("#contact-position", Input).value,
            phones=split_list(self.query_one("#contact-phones", Input).value),
            emails=split_list(self.query_one("#contact-emails", Input).value),
        )

    def action_save(self) -> None:
        self._save(self.data())

    @work(thread=True, exclusive=True)
    def _save(self, data: ContactInput) -> None:
        from crm_tui.store import repo_partners_write as repo

        try:
            with self.db.write() as session:
                if self.contact_key:
                    repo.update_contact(session, self.contact_key, self._version, data)
                    key = self.contact_key
                else:
                    key = repo.add_contact(session, self.partner_key, data)
        except ConflictError as error:
            self.app.call_from_thread(self._error, str(error))
            return
        except DomainError as error:
            self.app.call_from_thread(self._error, str(error))
            return
        self.app.call_from_thread(self.dismiss, key)

    def _error(self, message: str) -> None:
        self.query_one("#contact-error", Static).update(Text(message))

    def action_cancel(self) -> None:
        self.dismiss(None)
