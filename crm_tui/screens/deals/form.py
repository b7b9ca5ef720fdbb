"""The deal form: create or edit a deal; save checks the version (a clash is merged field by
field with the ConflictDialog) and keeps the user's input on any error. Its tabs are
composed in form_parts.py; its stage bar moves the deal under the board's rules
(form_stages.py). A closed deal's fields are read-only until it is reopened."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    OptionList,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from crm_tui.domain.deals import DealDraft, DemandLine, parse_amount, show_amount
from crm_tui.domain.errors import ConflictError, DomainError, NotFoundError, ValidationError
from crm_tui.domain.merge import fields_of
from crm_tui.i18n import N_, _
from crm_tui.screens.deals import form_parts as parts
from crm_tui.screens.deals.form_stages import FormStages
from crm_tui.screens.navigation import new_record
from crm_tui.screens.shell.base import CrmScreen
from crm_tui.store.partner_lookup import PartnerLookup
from crm_tui.store.repo_deals import Choice
from crm_tui.store.repo_deals_form import DealDetail, FormChoices
from crm_tui.store.setting_defaults import currency
from crm_tui.widgets.deal_stage_bar import DealStageBar
from crm_tui.widgets.demand_lines import DemandLineEditor, demand_option
from crm_tui.widgets.key_bar import KeyBar
from crm_tui.widgets.unsaved import ask_save_changes

if TYPE_CHECKING:
    from sqlmodel import Session

ERROR_FIELDS = ("name", "partner", "kind", "manager", "amount", "notes", "participants",
                "contacts", "demand")
# child rows have no ids of their own: a row is its (partner or contact, role) pair or its
# demand line, so an edited row is one removed and one added
ROW_KEYS = {"participants": lambda row: row, "contacts": lambda row: row,
            "demand": lambda row: row}


class DealFormScreen(FormStages, CrmScreen[str | None]):
    """Dismisses with the saved deal's key (None when left without saving)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="deal_form.save", priority=True),
        Binding("escape", "back", N_("Back"), id="deal_form.back"),
        Binding("ctrl+n", "new_interaction", N_("New interaction"),
                id="deal_form.interaction"),
        Binding("delete", "remove_row", N_("Remove row"), id="deal_form.remove", show=False),
    ]
    CSS_PATH = "deals.tcss"

    def __init__(self, deal_key: str | None = None, partner_key: str | None = None,
                 kind_code: str | None = None) -> None:
        super().__init__()
        self.deal_key = deal_key
        self.initial_partner = partner_key
        self.initial_kind = kind_code
        self.version: int | None = None
        self.detail: DealDetail | None = None
        self.choices: FormChoices | None = None
        self.participants: list[tuple[str, str]] = []
        self.contacts: list[tuple[str, str]] = []
        self.demand: list[DemandLine] = []
        self.names: dict[str, str] = {}
        self.contact_names: dict[str, str] = {}
        self.saving = False
        self.last_error = ""
        self.base: dict[str, Any] | None = None  # the values it was opened with

    def compose(self) -> ComposeResult:
        title = _("New deal") if self.deal_key is None else _("Deal {key}").format(
            key=self.deal_key)
        yield Static(Text(title, style="bold"), id="form-title", markup=False)
        yield DealStageBar(id="stage-bar")
        with TabbedContent():
            with TabPane(_("Deal"), id="tab-main"):
                yield from parts.compose_main(PartnerLookup(self.app))
            with TabPane(_("Participants"), id="tab-parties"):
                yield from parts.compose_parties(PartnerLookup(self.app))
            with TabPane(_("Primary demand"), id="tab-demand"):
                yield DemandLineEditor(id="demand-editor")
            with TabPane(_("History"), id="tab-history"):
                yield from parts.compose_history()
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()
        self.load()
        self.load_plain(currency, self._show_currency)

    def _show_currency(self, code: str) -> None:
        self.query_one("#amount-label", Label).update(
            parts.text(_("Amount, {currency}").format(currency=code)))

    # ------------------------------------------------------------ loading
    def load(self) -> None:
        """Load choices and the deal (if editing) in a worker."""
        key = self.deal_key

        def run() -> None:
            from crm_tui.store.repo_deals_form import form_choices, load_deal, partner_names

            try:
                with self.db.write() as session:
                    choices = form_choices(session)
                with self.db.read() as session:
                    detail = load_deal(session, key) if key else None
                    keys = [p for p, _r in detail.draft.participants] if detail else []
                    names = partner_names(session, keys)
            except DomainError as error:
                self.app.call_from_thread(self._error, error)
                return
            self.app.call_from_thread(self._loaded, choices, detail, names)

        self.run_worker(run, thread=True, exclusive=True, group="deal-form-load")

    def _loaded(self, choices: FormChoices, detail: DealDetail | None,
                names: dict[str, str]) -> None:
        self.choices = choices
        self.names.update(names)
        kind = self.query_one("#kind", Select)
        kind.set_options([(parts.text(k.name), k.code) for k in choices.kinds])
        self.query_one("#manager", Select).set_options(parts.options(choices.users))
        self.query_one("#participant-role", Select).set_options(
            parts.options(choices.partner_roles))
        self.query_one("#contact-role", Select).set_options(parts.options(choices.contact_roles))
        self.query_one("#demand-reason", Select).set_options(
            parts.options(choices.demand_reasons))
        self.query_one(DemandLineEditor).set_items(choices.demand_items)
        if detail is None:
            self.query_one("#manager", Select).value = choices.current_login
            codes = [k.code for k in choices.kinds]
            if self.initial_kind in codes or codes:
                kind.value = self.initial_kind if self.initial_kind in codes else codes[0]
            if self.initial_partner:
                self._set_partner(self.initial_partner)
            self.call_after_refresh(self._remember_base)
            return
        self.show_detail(detail)

    def show_detail(self, detail: DealDetail) -> None:
        """Fill every field from a saved deal."""
        from crm_tui.widgets.partner_picker import PartnerPicker

        self.detail, self.version = detail, detail.version
        self.base = fields_of(detail.draft)
        draft = detail.draft
        self.query_one("#name", Input).value = draft.name
        picker = self.query_one("#partner", PartnerPicker)
        if draft.partner:
            picker.choose(draft.partner, detail.partner_name)
        self.query_one("#kind", Select).value = draft.kind or Select.NULL
        self.query_one("#manager", Select).value = draft.manager or Select.NULL
        self.query_one("#amount", Input).value = show_amount(draft.amount)
        self.query_one("#notes", TextArea).text = draft.notes
        self.participants = list(draft.participants)
        self.contacts = list(draft.contacts)
        self.demand = list(draft.demand)
        self._pending_agreement = draft.agreement
        self._refresh_rows()
        self.query_one("#timeline", Static).update(parts.timeline_text(
            detail.timeline, detail.status, detail.closed_at, detail.loss_reason))
        self.query_one("#chain", Static).update(parts.chain_text(detail.chain))
        self.show_stage(detail)
        self._load_partner_data(draft.partner)

    def _set_partner(self, key: str) -> None:
        from crm_tui.widgets.partner_picker import PartnerPicker

        picker = self.query_one("#partner", PartnerPicker)
        picker.partner_key = key
        picker._load_name(key)
        self._load_partner_data(key)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        if event.select.id in ("kind", "manager"):
            self._clear_error(event.select.id or "")
        if event.select.id == "kind":
            self.check_kind(event.value)

    def on_partner_picker_changed(self, event: Any) -> None:
        if getattr(event.control, "id", None) == "partner":
            self._clear_error("partner")
            self._load_partner_data(event.partner_key)
        elif event.partner_key:
            self.names[event.partner_key] = event.name

    def _load_partner_data(self, partner_key: str | None) -> None:
        """The partner's agreements (its individual ones and the typical ones) and contacts."""

        def read(session: Session) -> tuple[list[Choice], list[Choice]]:
            from crm_tui.store.repo_deals_form import agreements_for, contacts_for

            return agreements_for(session, partner_key), contacts_for(session, partner_key)

        # The partner chosen last wins: an earlier one's lists never replace its own.
        self.load_data(read, self._partner_data)

    def _partner_data(self, found: tuple[list[Choice], list[Choice]]) -> None:
        agreements, contacts = found
        select = self.query_one("#agreement", Select)
        wanted = getattr(self, "_pending_agreement", None) or (
            select.value if select.value != Select.NULL else None)
        select.set_options(parts.options(agreements))
        if wanted in [a.code for a in agreements]:
            select.value = wanted
        self._pending_agreement = None
        self.contact_names.update({c.code: c.name for c in contacts})
        self.query_one("#contact", Select).set_options(parts.options(contacts))
        self._refresh_rows()

    # ------------------------------------------------------------ rows
    def _role_name(self, choices: tuple[Choice, ...], code: str | None) -> str:
        return next((c.name for c in choices if c.code == code), code or "")

    def _refresh_rows(self) -> None:
        choices = self.choices
        if choices is None:
            return
        lists = {
            "#participants": [parts.pair_option(self.names.get(p, p),
                                                self._role_name(choices.partner_roles, r))
                              for p, r in self.participants],
            "#contacts": [parts.pair_option(self.contact_names.get(c, c),
                                            self._role_name(choices.contact_roles, r))
                          for c, r in self.contacts],
            "#demand": [demand_option(d, self._role_name(choices.demand_reasons, d.reason))
                        for d in self.demand],
        }
        for selector, items in lists.items():
            option_list = self.query_one(selector, OptionList)
            option_list.clear_options()
            option_list.add_options(items)

    @on(Button.Pressed, "#add-participant")
    def _add_participant(self) -> None:
        from crm_tui.widgets.partner_picker import PartnerPicker

        partner = self.query_one("#participant-partner", PartnerPicker).partner_key
        role = self.query_one("#participant-role", Select).value
        if not partner or role == Select.NULL:
            self._show_error("participants", _("choose a partner and a role"))
            return
        self._clear_error("participants")
        self.participants.append((partner, str(role)))
        self._refresh_rows()

    @on(Button.Pressed, "#add-contact")
    def _add_contact(self) -> None:
        contact = self.query_one("#contact", Select).value
        role = self.query_one("#contact-role", Select).value
        if contact == Select.NULL or role == Select.NULL:
            self._show_error("contacts", _("choose a contact person and a role"))
            return
        self._clear_error("contacts")
        self.contacts.append((str(contact), str(role)))
        self._refresh_rows()

    @on(Button.Pressed, "#add-demand")
    def _add_demand(self) -> None:
        from crm_tui.domain.deals import parse_quantity, validate_demand_line
        from crm_tui.store.repo_deals_form import amount_or_none

        def typed(name: str) -> str:
            return self.query_one(f"#demand-{name}", Input).value

        reason = self.query_one("#demand-reason", Select).value
        met = self.query_one("#demand-met", Checkbox).value
        try:
            if not typed("item").strip():
                raise ValidationError(_("enter the item asked for"), field="demand")
            line = validate_demand_line(DemandLine(
                None if met or reason == Select.NULL else str(reason), item=typed("item"),
                quantity=parse_quantity(typed("quantity")),
                price=amount_or_none(typed("price")), amount=amount_or_none(typed("amount")),
                met=met))
        except ValidationError as error:
            self._show_error("demand", str(error))
            return
        self._clear_error("demand")
        self.demand.append(line)
        self.query_one(DemandLineEditor).clear_line()
        self._refresh_rows()

    def action_remove_row(self) -> None:
        focused = self.focused
        if not isinstance(focused, OptionList) or focused.highlighted is None:
            return
        rows: dict[str | None, list[Any]] = {"participants": self.participants,
                                              "contacts": self.contacts, "demand": self.demand}
        target = rows.get(focused.id)
        if target is not None and focused.highlighted < len(target):
            del target[focused.highlighted]
            self._refresh_rows()

    # ------------------------------------------------------------ saving
    def _show_error(self, field_name: str, message: str) -> None:
        self.last_error = message
        name = field_name if field_name in ERROR_FIELDS else "name"
        self.query_one(f"#err-{name}", Static).update(Text(message))

    def _clear_error(self, field_name: str) -> None:
        if field_name in ERROR_FIELDS:
            self.query_one(f"#err-{field_name}", Static).update("")

    def _error(self, error: Exception) -> None:
        self.last_error = str(error)
        self.notify(str(error), severity="error", markup=False)

    def _raw_draft(self, *, read_amount: bool = True) -> DealDraft:
        """The fields as typed, not checked (an unreadable amount raises ValidationError;
        with `read_amount` false the amount is left at zero)."""
        from crm_tui.widgets.partner_picker import PartnerPicker

        def value(selector: str) -> str | None:
            chosen = self.query_one(selector, Select).value
            return None if chosen == Select.NULL else str(chosen)

        amount = (parse_amount(self.query_one("#amount", Input).value) if read_amount
                  else Decimal(0))
        return DealDraft(
            name=self.query_one("#name", Input).value,
            partner=self.query_one("#partner", PartnerPicker).partner_key,
            kind=value("#kind"), manager=value("#manager"), amount=amount,
            # the partner's agreements may still be loading: the one it was opened with
            agreement=getattr(self, "_pending_agreement", None) or value("#agreement"),
            notes=self.query_one("#notes", TextArea).text,
            participants=tuple(self.participants), contacts=tuple(self.contacts),
            demand=tuple(self.demand))

    def collect(self) -> DealDraft:
        """The draft from the fields (ValidationError naming the field on a bad value)."""
        from crm_tui.domain.deals import validate_draft

        return validate_draft(self._raw_draft())

    # ------------------------------------------------------------ unsaved input, conflicts
    def _values(self) -> dict[str, Any]:
        """The form's values to compare with the base: checked, or as typed."""
        try:
            return fields_of(self.collect())
        except ValidationError:
            try:
                return fields_of(self._raw_draft())
            except ValidationError:  # the amount cannot be read (a new deal's is empty):
                # every other field as typed, the amount as text. (Comparing the amount
                # alone, a new deal never had unsaved changes: Esc dropped what was typed.)
                return {**fields_of(self._raw_draft(read_amount=False)),
                        "amount": self.query_one("#amount", Input).value}

    def _remember_base(self) -> None:
        self.base = self._values()

    def has_unsaved_changes(self) -> bool:
        return self.base is not None and self._values() != self.base

    def save_changes(self, then: Any) -> None:
        self.action_save(then=then)

    def action_save(self, then: Any = None) -> None:
        for name in ERROR_FIELDS:
            self._clear_error(name)
        if self.is_closed:
            self._show_error("name", _("the deal is closed; reopen it to edit it"))
            return
        try:
            draft = self.collect()
        except ValidationError as error:
            self._show_error(error.field or "name", str(error))
            return
        self._save(draft, self.version, then)

    def _save(self, draft: DealDraft, version: int | None, then: Any = None,
              as_new: bool = False) -> None:
        """Create or update in a worker; a version conflict (or a deal deleted meanwhile)
        goes to the three-way merge (_conflict)."""
        if self.saving:
            return
        self.saving = True
        key = None if as_new else self.deal_key

        def run() -> None:
            from crm_tui.store.repo_deals_form import create_deal, load_deal, update_deal

            try:
                with self.db.write() as session:
                    if key is None:
                        saved_key, saved_version = create_deal(session, draft), 1
                    else:
                        saved_key = key
                        saved_version = update_deal(session, key, version or 0, draft)
            except (ConflictError, NotFoundError) as error:
                if key is None:
                    self.app.call_from_thread(self._save_failed, error)
                    return
                try:
                    with self.db.read() as session:
                        theirs: DealDetail | None = load_deal(session, key)
                except NotFoundError:
                    theirs = None
                self.app.call_from_thread(self._conflict, draft, theirs, then)
                return
            except DomainError as error:
                self.app.call_from_thread(self._save_failed, error)
                return
            self.app.call_from_thread(self._saved, saved_key, saved_version, then)

        self.run_worker(run, thread=True, exclusive=True, group="deal-form-save")

    def _save_failed(self, error: DomainError) -> None:
        self.saving = False
        field_name = getattr(error, "field", None)
        if field_name in ERROR_FIELDS:
            self._show_error(field_name, str(error))
        self._error(error)

    def _saved(self, key: str, version: int, then: Any = None) -> None:
        self.saving = False
        self.deal_key, self.version = key, version
        self.base = self._values()
        self.notify(_("Deal {key} saved").format(key=key), markup=False)
        self.dismiss(key)
        if then is not None:
            then()

    def _conflict(self, mine: DealDraft, theirs: DealDetail | None, then: Any) -> None:
        from crm_tui.widgets.conflict_dialog import resolve_conflict

        self.saving = False
        their_values = fields_of(theirs.draft) if theirs is not None else None

        def merged(values: dict[str, Any]) -> None:
            assert theirs is not None and their_values is not None
            self.base, self.version = their_values, theirs.version
            self._save(DealDraft(**values), theirs.version, then)

        def reload() -> None:
            if theirs is None:
                self.dismiss(None)
            else:
                self.load()

        self.last_error = _("someone else changed this record after you opened it; "
                            "reload or re-apply your edit")
        assert self.base is not None
        resolve_conflict(self.app, self.base, their_values, fields_of(mine), self._labels(),
                         self._show_value, merged=merged, reload=reload,
                         new=lambda: self._save(mine, None, then, as_new=True),
                         row_keys=ROW_KEYS)

    def _labels(self) -> dict[str, str]:
        return {"name": _("Name"), "partner": _("Partner"), "kind": _("Deal kind"),
                "manager": _("Manager"), "amount": _("Amount"), "agreement": _("Agreement"),
                "notes": _("Notes"), "participants": _("Participants"),
                "contacts": _("Contact persons"), "demand": _("Primary demand")}

    def _show_value(self, name: str, value: Any) -> str:
        """A field's value as the user reads it (names rather than keys where known)."""
        choices = self.choices
        if value is None:
            return ""
        if name == "amount":
            return show_amount(value)
        if name == "partner":
            return self.names.get(value, value)
        if name in ("kind", "manager") and choices is not None:
            options = choices.kinds if name == "kind" else choices.users
            return next((c.name for c in options if c.code == value), str(value))
        if name in ("participants", "contacts") and choices is not None:
            names = self.names if name == "participants" else self.contact_names
            roles = choices.partner_roles if name == "participants" else choices.contact_roles
            return "; ".join(f"{names.get(k, k)} — {self._role_name(roles, r)}"
                             for k, r in value)
        if name == "demand" and choices is not None:
            return "; ".join(str(demand_option(d, self._role_name(choices.demand_reasons,
                                                                  d.reason)).prompt)
                             for d in value)
        return str(value)

    # ------------------------------------------------------------ other keys
    def action_back(self) -> None:
        ask_save_changes(self, lambda: self.dismiss(None))

    def action_new_interaction(self) -> None:
        if self.deal_key is None:
            self._error(ValidationError(_("save the deal first")))
            return
        partner = self.detail.draft.partner if self.detail else self.initial_partner
        key = self.deal_key

        def closed(_result: Any) -> None:
            self.load()

        new_record(self, "interaction", on_done=closed, partner_key=partner,
                   subject=("deal", key))
