"""The partner card: everything about one partner — details, legal entities, contacts,
deals, interactions, claims and agreements — each a tab with its own list and actions."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from crm_tui.domain.errors import ConflictError, DomainError, NotFoundError
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.navigation import open_record
from crm_tui.screens.partners.card_actions import open_form
from crm_tui.screens.partners.card_details import DetailsPane, normalised, view_values
from crm_tui.screens.partners.card_lists import (
    RelatedSource,
    fill_contacts,
    fill_counterparties,
    related_columns,
)
from crm_tui.screens.shell.base import CrmScreen
from crm_tui.widgets.key_bar import KeyBar
from crm_tui.widgets.unsaved import ask_save_changes
from crm_tui.widgets.virtual_list import VirtualList

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm_tui.store.repo_partners_read import Choice, PartnerView

RELATED = ("deal", "interaction", "claim", "agreement")
TABS = ("details", "counterparties", "contacts", "deals", "interactions", "claims", "agreements")
RELATED_TITLES = {"deal": N_("Deals"), "interaction": N_("Interactions"), "claim": N_("Claims"),
                  "agreement": N_("Agreements")}


class PartnerCardScreen(CrmScreen[None]):
    """One partner's card."""

    CSS_PATH = "partners.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="card.back"),
        Binding("ctrl+s", "save", N_("Save"), id="card.save"),
        Binding("f3", "tab(-1)", N_("Prev tab"), id="card.prev_tab"),
        Binding("f4", "tab(1)", N_("Next tab"), id="card.next_tab"),
        Binding("ctrl+n", "new", N_("New"), id="card.new"),
        Binding("ctrl+l", "link", N_("Link legal entity"), id="card.link"),
        Binding("ctrl+u", "unlink", N_("Unlink"), id="card.unlink"),
        Binding("ctrl+e", "new_entity", N_("New legal entity"), id="card.new_entity"),
        Binding("delete", "delete_contact", N_("Delete contact"), id="card.delete_contact"),
        Binding("ctrl+k", "create('claim')", N_("Claim"), id="card.claim"),
        Binding("ctrl+t", "create('interaction')", N_("Interaction"), id="card.interaction"),
        Binding("ctrl+d", "create('deal')", N_("Deal"), id="card.deal"),
        Binding("ctrl+g", "create('agreement')", N_("Agreement"), id="card.agreement"),
    ]

    def __init__(self, partner_key: str) -> None:
        super().__init__()
        self.partner_key = partner_key
        self.view: PartnerView | None = None
        self._choices: tuple[list[Choice], list[Choice]] = ([], [])
        self.base: dict[str, Any] | None = None  # the details as loaded (merge base)
        self.opened: dict[str, Any] | None = None  # the details tab's input as loaded
        self.base_version = 0

    def compose(self) -> ComposeResult:
        yield Static(Text(self.partner_key), id="card-title", markup=False)
        with TabbedContent(id="card-tabs"):
            with TabPane(_("Details"), id="details"):
                yield DetailsPane(id="card-details")
            with TabPane(_("Legal entities"), id="counterparties"):
                yield DataTable[Text](id="card-counterparties", cursor_type="row")
            with TabPane(_("Contacts"), id="contacts"):
                yield DataTable[Text](id="card-contacts", cursor_type="row")
            for kind, tab in zip(RELATED, TABS[3:], strict=True):
                with TabPane(_(RELATED_TITLES[kind]), id=tab):
                    yield VirtualList(related_columns(kind), id=f"card-{kind}")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()
        for kind in RELATED:
            self.query_one(f"#card-{kind}", VirtualList).set_source(
                RelatedSource(self.db, kind, self.partner_key))

    def on_screen_resume(self) -> None:
        if self.view is not None:
            self.load(details=False)
            for kind in RELATED:
                self.query_one(f"#card-{kind}", VirtualList).reload()

    def load(self, details: bool = True) -> None:
        def read(session: Session) -> tuple[PartnerView, list[Choice], list[Choice]]:
            from crm_tui.store import repo_partners_read as repo

            return (repo.get_partner(session, self.partner_key), repo.regions(session),
                    repo.managers(session))

        self.load_data(read, partial(self._loaded, details))

    def _loaded(self, details: bool,
                found: tuple[PartnerView, list[Choice], list[Choice]]) -> None:
        self._show(*found, details)

    def _show(self, view: PartnerView, regions: list[Choice], managers: list[Choice],
              details: bool = True) -> None:
        self.view = view
        self._choices = (regions, managers)
        title = Text(f"{view.key}  ")
        title.append(safe_display(view.name))
        self.query_one("#card-title", Static).update(title)
        if details:
            self.query_one(DetailsPane).show(view, regions, managers)
            self.base = normalised(view_values(view))
            # Reloading only the lists (coming back to the card) moves view.version on but
            # not the details shown: a save is based on the version the details came from.
            self.base_version = view.version
            # as shown (a stored control character shows escaped): unsaved input differs
            self.opened = normalised(self.query_one(DetailsPane).values())
        fill_counterparties(self.query_one("#card-counterparties", DataTable), view.counterparties,
                            self.partner_key)
        fill_contacts(self.query_one("#card-contacts", DataTable), view.contacts)

    # -- actions -------------------------------------------------------------------------
    def action_back(self) -> None:
        ask_save_changes(self, lambda: self.dismiss(None))

    def action_tab(self, delta: int) -> None:
        tabs = self.query_one(TabbedContent)
        index = TABS.index(tabs.active or "details")
        tabs.active = TABS[(index + delta) % len(TABS)]

    def _active(self) -> str:
        return self.query_one(TabbedContent).active or "details"

    def action_create(self, kind: str) -> None:
        open_form(self, kind, self.partner_key, lambda _result: self.on_screen_resume())

    def action_new(self) -> None:
        """New record of the active tab's kind."""
        tab = self._active()
        if tab == "contacts":
            self._edit_contact(None)
        elif tab == "counterparties":
            self.action_link()
        elif tab in TABS[3:]:
            self.action_create(RELATED[TABS.index(tab) - 3])

    def action_save(self) -> None:
        self.save_changes(None)

    # -- unsaved input and conflicts (widgets/unsaved.py, widgets/conflict_dialog.py) ----
    def has_unsaved_changes(self) -> bool:
        """Whether the details tab differs from what was loaded."""
        return self.opened is not None and normalised(
            self.query_one(DetailsPane).values()) != self.opened

    def save_changes(self, then: Callable[[], Any] | None) -> None:
        """Save the details tab; `then()` once saved."""
        if self.view is None:
            return
        self._save(self.base_version, self.query_one(DetailsPane).values(), then)

    @work(thread=True, exclusive=True, group="card-save")
    def _save(self, version: int, values: dict[str, Any],
              then: Callable[[], Any] | None = None) -> None:
        from crm_tui.store.repo_partners_read import get_partner
        from crm_tui.store.repo_partners_write import update_partner

        try:
            with self.db.write() as session:
                update_partner(session, self.partner_key, version, **values)
        except (ConflictError, NotFoundError):
            theirs: PartnerView | None = None
            try:
                with self.db.read() as session:
                    theirs = get_partner(session, self.partner_key)
            except NotFoundError:
                theirs = None  # deleted meanwhile
            except DomainError as error:
                self.app.call_from_thread(self.notify, str(error), severity="error",
                                          markup=False)
                return
            self.app.call_from_thread(self._conflict, values, theirs, then)
            return
        except DomainError as error:
            self.app.call_from_thread(self.query_one(DetailsPane).show_error, str(error))
            return
        self.app.call_from_thread(self._saved, then)

    def _saved(self, then: Callable[[], Any] | None = None) -> None:
        self.notify(_("Saved"), markup=False)
        self.opened = None  # until the saved values are loaded again
        self.load()
        if then is not None:
            then()

    def _conflict(self, values: dict[str, Any], theirs: PartnerView | None,
                  then: Callable[[], Any] | None) -> None:
        from crm_tui.screens.partners.card_details import field_labels, show_value
        from crm_tui.widgets.conflict_dialog import resolve_conflict

        their_values = normalised(view_values(theirs)) if theirs is not None else None

        def merged(result: dict[str, Any]) -> None:
            assert theirs is not None and their_values is not None
            self.base = their_values  # a further conflict merges on what was just seen
            self.base_version = theirs.version
            self._save(theirs.version, result, then)

        assert self.base is not None
        resolve_conflict(self.app, self.base, their_values, normalised(values), field_labels(),
                         lambda name, value: show_value(name, value, *self._choices),
                         merged=merged, reload=lambda: self._reload_or_leave(theirs),
                         new=lambda: self._save_as_new(values), opened=self.opened)

    def _reload_or_leave(self, theirs: PartnerView | None) -> None:
        if theirs is None:
            self.dismiss(None)
        else:
            self.load()

    @work(thread=True, exclusive=True, group="card-save")
    def _save_as_new(self, values: dict[str, Any]) -> None:
        from crm_tui.domain.partners import PartnerInput
        from crm_tui.store.repo_partners_write import create_partner

        try:
            with self.db.write() as session:
                key = create_partner(session, PartnerInput(**values))
        except DomainError as error:
            self.app.call_from_thread(self.query_one(DetailsPane).show_error, str(error))
            return
        self.app.call_from_thread(self.notify, _("Saved as {key}").format(key=key),
                                  markup=False)
        self.app.call_from_thread(self.dismiss, None)

    def action_link(self) -> None:
        from crm_tui.screens.partners.card_link import LinkCounterpartyScreen

        def chosen(key: str | None) -> None:
            if key:
                self._change_link(key, link=True)

        self.app.push_screen(LinkCounterpartyScreen(), chosen)

    def action_unlink(self) -> None:
        table = self.query_one("#card-counterparties", DataTable)
        if self._active() != "counterparties" or table.row_count == 0:
            self.notify(_("Choose a legal entity on the Legal entities tab"), markup=False)
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key:
            self._change_link(key, link=False)

    @work(thread=True, exclusive=True, group="card-save")
    def _change_link(self, counterparty_key: str, link: bool) -> None:
        from crm_tui.store import repo_partners_write as repo

        try:
            with self.db.write() as session:
                if link:
                    repo.link_counterparty(session, self.partner_key, counterparty_key)
                else:
                    repo.unlink_counterparty(session, self.partner_key, counterparty_key)
        except DomainError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        self.app.call_from_thread(self.load, False)

    def _edit_contact(self, key: str | None) -> None:
        from crm_tui.screens.partners.contact_form import ContactFormScreen

        def done(_result: str | None) -> None:
            self.load(False)

        self.app.push_screen(ContactFormScreen(self.partner_key, key), done)

    def _table_key(self, tab: str, table_id: str) -> str | None:
        """The key of the highlighted row of `table_id` when its tab is active."""
        table = self.query_one(table_id, DataTable)
        if self._active() != tab or table.row_count == 0:
            return None
        value = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(value) if value else None

    def action_delete_contact(self) -> None:
        """Delete the highlighted contact after a confirmation."""
        from crm_tui.screens.partners.card_confirm import ConfirmScreen

        key = self._table_key("contacts", "#card-contacts")
        contact = next((c for c in self.view.contacts if c.key == key), None) if self.view else None
        if contact is None:
            self.notify(_("Choose a contact on the Contacts tab"), markup=False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete_contact(contact.key)

        question = _("Delete the contact «{name}»?").format(name=safe_display(contact.name))
        self.app.push_screen(ConfirmScreen(question), answered)

    @work(thread=True, exclusive=True, group="card-save")
    def _delete_contact(self, key: str, unlink: bool = False) -> None:
        from crm_tui.store.repo_partners_write import delete_contact
        from crm_tui.store.usages import RecordInUse

        try:
            with self.db.write() as session:
                delete_contact(session, key, unlink=unlink)
        except RecordInUse as error:
            self.app.call_from_thread(self._offer_unlink, key, str(error))
            return
        except DomainError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, _("Contact deleted"), markup=False)
        self.app.call_from_thread(self.load, False)

    def _offer_unlink(self, key: str, refusal: str) -> None:
        """The contact is used: say where and offer to remove it from there, then delete."""
        from crm_tui.screens.partners.card_confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete_contact(key, unlink=True)

        question = "\n\n".join((refusal, _("Remove the contact from there and delete it?")))
        self.app.push_screen(ConfirmScreen(question), answered)

    def action_new_entity(self) -> None:
        """Create a brand-new legal entity for this partner (or link a found duplicate)."""
        from crm_tui.screens.partners.card_entity import NewEntityScreen

        def done(key: str | None) -> None:
            if key:
                self.load(False)

        self.app.push_screen(NewEntityScreen(self.partner_key), done)

    @on(DataTable.RowSelected, "#card-contacts")
    def _contact_selected(self, event: DataTable.RowSelected) -> None:
        self._edit_contact(event.row_key.value)

    @on(VirtualList.Selected)
    def _related_selected(self, event: VirtualList.Selected) -> None:
        if event.row is None or event.list.id is None:
            return
        open_record(self, event.list.id.removeprefix("card-"), str(event.row.key))
