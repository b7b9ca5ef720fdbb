"""Add or edit a contact person of a partner: phones normalised to E.164, e-mails checked."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from crm_tui.domain.errors import ConflictError, DomainError, NotFoundError
from crm_tui.domain.merge import fields_of
from crm_tui.domain.partners import ContactInput, validate_contact
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import CrmModal
from crm_tui.store.repo_partners_read import ContactView
from crm_tui.widgets.key_bar import KeyBar
from crm_tui.widgets.unsaved import ask_save_changes

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
        self._base: dict[str, Any] | None = None  # the values as opened (merge base)
        self._opened: dict[str, Any] | None = None  # the input as opened

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
        else:
            self._base = self._opened = contact_values(self.data())

    def _load(self, key: str) -> None:
        def read(session: Session) -> ContactView:
            from crm_tui.store.repo_partners_read import get_contact

            return get_contact(session, key)

        self.load_data(read, self._show)

    def _show(self, view: ContactView) -> None:
        self._version = view.version
        self._base = view_values(view)
        self.query_one("#contact-name", Input).value = safe_display(view.name)
        self.query_one("#contact-position", Input).value = safe_display(view.position)
        self.query_one("#contact-phones", Input).value = ", ".join(view.phones)
        self.query_one("#contact-emails", Input).value = ", ".join(view.emails)
        self._opened = contact_values(self.data())  # as shown (control characters escaped)

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

    # -------------------------------------- unsaved input and conflicts (widgets/unsaved.py)
    def has_unsaved_changes(self) -> bool:
        return self._opened is not None and contact_values(self.data()) != self._opened

    def save_changes(self, then: Callable[[], Any]) -> None:
        self._save(self.data(), then)

    @work(thread=True, exclusive=True)
    def _save(self, data: ContactInput, then: Callable[[], Any] | None = None,
              as_new: bool = False) -> None:
        from crm_tui.store.repo_partners_read import get_contact
        from crm_tui.store.repo_partners_write import add_contact, update_contact

        key = None if as_new else self.contact_key
        try:
            with self.db.write() as session:
                if key:
                    update_contact(session, key, self._version, data)
                else:
                    key = add_contact(session, self.partner_key, data)
        except (ConflictError, NotFoundError) as error:
            if not key:
                self.app.call_from_thread(self._error, str(error))
                return
            try:
                with self.db.read() as session:
                    theirs: ContactView | None = get_contact(session, key)
            except NotFoundError:
                theirs = None
            self.app.call_from_thread(self._conflict, data, theirs, then)
            return
        except DomainError as error:
            self.app.call_from_thread(self._error, str(error))
            return
        self._opened = None
        self.app.call_from_thread(self._close_saved, key, then)

    def _close_saved(self, key: str, then: Callable[[], Any] | None) -> None:
        # One call on the event loop: once dismissed, this worker may not get another.
        self.dismiss(key)
        if then is not None:
            then()

    def _conflict(self, mine: ContactInput, theirs: ContactView | None,
                  then: Callable[[], Any] | None) -> None:
        """Someone saved (or deleted) the contact since it was opened: merge the fields,
        phones and e-mails one by one."""
        from crm_tui.widgets.conflict_dialog import resolve_conflict

        their_values = view_values(theirs) if theirs is not None else None

        def merged(values: dict[str, Any]) -> None:
            assert theirs is not None and their_values is not None
            self._base, self._version = their_values, theirs.version
            self._save(ContactInput(**values), then)

        def reload() -> None:
            if theirs is None:
                self._opened = None
                self.dismiss(None)
            else:
                self._load(theirs.key)

        assert self._base is not None
        resolve_conflict(self.app, self._base, their_values, contact_values(mine),
                         {"name": _("Name"), "position": _("Position"), "phones": _("Phones"),
                          "emails": _("E-mails")},
                         lambda _name, value: ", ".join(value) if isinstance(value, tuple)
                         else str(value or ""),
                         merged=merged, reload=reload,
                         new=lambda: self._save(mine, then, as_new=True),
                         row_keys={"phones": str, "emails": str.casefold}, opened=self._opened)

    def _error(self, message: str) -> None:
        self.query_one("#contact-error", Static).update(Text(message))

    def action_cancel(self) -> None:
        ask_save_changes(self, lambda: self.dismiss(None))


def view_values(view: ContactView) -> dict[str, Any]:
    """A saved contact's fields, to compare and merge."""
    return {"name": view.name, "position": view.position, "phones": tuple(view.phones),
            "emails": tuple(view.emails)}


def contact_values(data: ContactInput) -> dict[str, Any]:
    """The typed contact as it would be saved (phones in E.164), or as typed if invalid."""
    try:
        data = validate_contact(data)
    except DomainError:
        return {**fields_of(data), "unreadable": True}
    return fields_of(data)
