"""The new-partner wizard (Помощник регистрации нового партнера): seven steps — kind, INN/KPP
checked as typed, autofill in a worker, duplicates, details, contacts, summary. Enter goes
on where the step is complete, Ctrl+B goes back one step keeping everything typed, Esc asks
once whether to leave; dismisses with the new partner key or None.

An existing legal entity with the INN and KPP typed is linked by default: a second one with
the same INN and KPP is made only when chosen explicitly (the last line of step 4). The
summary looks for duplicates again over everything entered, contacts included."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import (
    Checkbox,
    ContentSwitcher,
    DataTable,
    Input,
    OptionList,
    RadioSet,
    Select,
    Static,
)
from textual.widgets.option_list import Option

from crm_tui import tui_compat
from crm_tui.domain.enums import LABELS, PARTNER_ROLE_BITS
from crm_tui.domain.errors import DomainError
from crm_tui.domain.identifiers import validate_inn, validate_kpp
from crm_tui.domain.partners import ContactInput, CounterpartyInput, PartnerInput
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.navigation import open_record
from crm_tui.screens.partners.contact_form import split_list
from crm_tui.screens.partners.wizard_steps import (
    KINDS,
    LEGAL_FIELDS,
    STEP_TITLES,
    step_autofill,
    step_contacts,
    step_details,
    step_duplicates,
    step_inn,
    step_kind,
    step_summary,
)
from crm_tui.screens.shell.base import CrmScreen
from crm_tui.widgets.key_bar import KeyBar
from crm_tui.widgets.table_fill import fill_table

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm_tui.autofill import LegalEntity
    from crm_tui.store.repo_partners_read import Choice, Duplicates


SEPARATE = "--separate"  # step 4's option: a separate legal entity with the same INN and KPP


class PartnerWizardScreen(CrmScreen[str | None]):
    """Register a new partner step by step."""

    CSS_PATH = "partners.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next", N_("Next"), id="wizard.next", priority=True),
        Binding("ctrl+b", "back", N_("Back"), id="wizard.back", priority=True),
        Binding("escape", "leave", N_("Leave"), id="wizard.leave"),
        Binding("ctrl+r", "autofill", N_("Autofill again"), id="wizard.autofill"),
        Binding("ctrl+o", "open_existing", N_("Open partner"), id="wizard.open"),
        Binding("ctrl+a", "add_contact", N_("Add contact"), id="wizard.add_contact",
                priority=True),
    ]

    def __init__(self, contact_name: str = "", contact_email: str = "") -> None:
        """`contact_name`/`contact_email` fill the contact step (an unknown sender's letter
        starts the wizard with them): Next there adds the contact as if typed."""
        super().__init__()
        self.prefill_contact = (contact_name, contact_email)
        self.step = 1
        self.contacts: list[ContactInput] = []
        self.link_key: str | None = None
        # True: the user chose a separate legal entity with an existing one's INN and KPP.
        self.separate = False
        self.duplicates: Duplicates | None = None
        self._duplicates_for: tuple[str, str] | None = None  # (INN, KPP) they were found for
        self._autofilled_for = ""
        self._checked_for = ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Step-specific keys are shown and active only on their step."""
        step_of = {"autofill": 3, "open_existing": 4, "add_contact": 6}
        if action in step_of:
            return self.step == step_of[action]
        return True

    def compose(self) -> ComposeResult:
        yield Static("", id="wizard-title", markup=False)
        with VerticalScroll(), ContentSwitcher(initial="step-1", id="wizard-steps"):
            yield from step_kind()
            yield from step_inn()
            yield from step_autofill()
            yield from step_duplicates()
            yield from step_details()
            yield from step_contacts()
            yield from step_summary()
        yield KeyBar()

    def on_mount(self) -> None:
        self._show_contacts()
        name, email = self.prefill_contact
        self.query_one("#wc-name", Input).value = name
        self.query_one("#wc-emails", Input).value = email
        self._show_step()
        self._load_choices()

    @work(thread=True, exclusive=True, group="wizard-choices")
    def _load_choices(self) -> None:
        from crm_tui.store import repo_partners_read as repo
        from crm_tui.store.users import ensure_current_user

        with self.db.write() as session:
            me = ensure_current_user(session).id
            found = (repo.regions(session), repo.managers(session))
        self.app.call_from_thread(self._show_choices, *found, me)

    def _show_choices(self, regions: list[Choice], managers: list[Choice], me: int) -> None:
        region = self.query_one("#wizard-region", Select)
        region.set_options([(Text(c.name), c.id) for c in regions])
        manager = self.query_one("#wizard-manager", Select)
        manager.set_options([(Text(c.name), c.id) for c in managers])
        manager.value = me

    # -- reading the fields ------------------------------------------------------------
    def value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    @property
    def kind(self) -> str:
        index = self.query_one("#wizard-kind", RadioSet).pressed_index
        return KINDS[max(index, 0)][0]

    def _inn_error(self) -> str:
        inn = self.value("wizard-inn").strip()
        if not inn:
            return "" if self.kind == "person" else _("INN must be 10 or 12 digits")
        try:
            validate_inn(inn)
            if self.kind == "organisation" and len(inn) != 10:
                return _("an organisation's INN has 10 digits")
            if self.kind != "organisation" and len(inn) != 12:
                return _("a person's INN has 12 digits")
        except DomainError as error:
            return str(error)
        return ""

    def _kpp_error(self) -> str:
        kpp = self.value("wizard-kpp").strip()
        if not kpp or self.kind != "organisation":
            return ""
        try:
            validate_kpp(kpp)
        except DomainError as error:
            return str(error)
        return ""

    @on(Input.Changed, "#wizard-inn, #wizard-kpp")
    def _check_identifiers(self) -> None:
        inn = self.value("wizard-inn").strip()
        shown = self._inn_error() if len(inn) >= 10 or not inn.isdigit() else ""
        self.query_one("#wizard-inn-error", Static).update(Text(shown if inn else ""))
        self.query_one("#wizard-kpp-error", Static).update(Text(self._kpp_error()))

    @property
    def has_inn(self) -> bool:
        return bool(self.value("wizard-inn").strip())

    # -- navigation ----------------------------------------------------------------------
    def _show_contacts(self) -> None:
        """The contacts added so far, in the contact step's table."""
        fill_table(self.query_one("#wc-table", DataTable),
                   [_("Name"), _("Position"), _("Phones"), _("E-mails")],
                   [(Text(safe_display(c.name)), Text(safe_display(c.position)),
                     Text(", ".join(c.phones)), Text(safe_display(", ".join(c.emails))))
                    for c in self.contacts])

    def _show_step(self) -> None:
        self.refresh_bindings()
        self.query_one(ContentSwitcher).current = f"step-{self.step}"
        step_title = STEP_TITLES[self.step - 1]
        if self.step == 2 and self.kind != "organisation":
            step_title = N_("2. INN")  # no KPP for them
        title = _("New partner") + " — " + _(step_title)
        self.query_one("#wizard-title", Static).update(Text(title))
        # Only an organisation has a KPP: its fields go with their labels otherwise.
        for row in ("#row-wizard-kpp", "#row-legal-kpp"):
            self.query_one(row).display = self.kind == "organisation"
        focus = {1: "#wizard-kind", 2: "#wizard-inn", 3: "#legal-short_name", 4: "#dup-same",
                 5: "#wizard-name", 6: "#wc-name"}.get(self.step)
        if focus:
            self.query_one(focus).focus()

    def _go(self, step: int) -> None:
        self.step = step
        self._show_step()
        if step == 3 and self._autofilled_for != self.value("wizard-inn").strip():
            self.action_autofill()
        if step == 4:
            self._find_duplicates()
        if step == 5 and not self.value("wizard-name").strip():
            name = self.value("legal-short_name") or self.value("legal-full_name")
            self.query_one("#wizard-name", Input).value = name
        if step == 7:
            self.query_one("#wizard-summary", Static).update(self._summary())
            self._final_duplicates()

    def action_next(self) -> None:
        if self.step == 2:
            error = self._inn_error() or self._kpp_error()
            if error:
                self.query_one("#wizard-inn-error", Static).update(Text(self._inn_error()))
                self.query_one("#wizard-kpp-error", Static).update(Text(self._kpp_error()))
                self.notify(error, severity="error", markup=False)
                return
        if self.step == 5 and not self._details_ok():
            return
        typed = any(self.value(f) for f in ("wc-name", "wc-phones", "wc-emails"))
        if self.step == 6 and typed and not self.action_add_contact():
            return
        if self.step == 7:
            self._create(self._partner_input())
            return
        self._go(self._after(self.step))

    def _after(self, step: int) -> int:
        """The step after `step`. Without an INN (a private person) the steps run
        2 → 5 → 6 → 4 → 7: duplicates are looked for by name, phone and e-mail once known."""
        if not self.has_inn:
            return {2: 5, 6: 4, 4: 7}.get(step, step + 1)
        return step + 1

    def action_back(self) -> None:
        if self.step == 1:
            return
        before = {after: step for step in range(1, 7) if (after := self._after(step)) != step}
        self._go(before.get(self.step, self.step - 1))

    def action_leave(self) -> None:
        """Esc: leave at once when nothing was entered, else after one confirmation."""
        from crm_tui.screens.partners.card_confirm import ConfirmScreen

        if self.step == 1 and not any(field.value for field in self.query(Input)):
            self.dismiss(None)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(
            _("Leave the new partner? Everything entered here will be lost.")), answered)

    def on_key(self, event: events.Key) -> None:
        """Enter goes on where nothing else takes it: the kind (its buttons would take it),
        the duplicates when no legal entity is listed to link, and the summary (create).
        (Input fields go on through Input.Submitted.)"""
        if event.key != "enter":
            return
        focused = self.focused
        listed = isinstance(focused, OptionList) and focused.option_count > 0
        if self.step in (1, 7) or (self.step == 4 and not listed):
            event.stop()
            event.prevent_default()
            self.action_next()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.step == 6:
            self.action_add_contact()
        else:
            self.action_next()

    # -- step 3: autofill ---------------------------------------------------------------
    def action_autofill(self) -> None:
        if self.step != 3 or self._inn_error():
            return
        self._status("#autofill-status", _("Looking up INN {inn}…").format(
            inn=self.value("wizard-inn").strip()))
        self._autofill(self.value("wizard-inn").strip(), self.value("wizard-kpp").strip())

    def _status(self, widget: str, message: str) -> None:
        self.query_one(widget, Static).update(Text(message))

    @work(thread=True, exclusive=True, group="wizard-autofill")
    def _autofill(self, inn: str, kpp: str) -> None:
        from crm_tui.autofill import AutofillError, provider_from_settings
        from crm_tui.store.settings import all_settings

        try:
            with self.db.read() as session:
                settings = all_settings(session)
            entity = provider_from_settings(settings).find_by_inn(inn, kpp)
        except AutofillError as error:
            self.app.call_from_thread(self._autofill_failed, inn, str(error))
            return
        self.app.call_from_thread(self._autofilled, inn, entity)

    def _autofill_failed(self, inn: str, message: str) -> None:
        self._autofilled_for = inn
        self._status("#autofill-status", _("Autofill failed: {error}").format(error=message))

    def _autofilled(self, inn: str, entity: LegalEntity) -> None:
        self._autofilled_for = inn
        for code, _label in LEGAL_FIELDS:
            value = getattr(entity, code)
            field = self.query_one(f"#legal-{code}", Input)
            if value and not field.value.strip():
                field.value = safe_display(value)
        if entity.kpp and not self.value("wizard-kpp").strip():
            self.query_one("#wizard-kpp", Input).value = entity.kpp
        self._status("#autofill-status", _("Found: {name}").format(
            name=safe_display(entity.short_name or entity.full_name)))

    # -- step 4: duplicates -------------------------------------------------------------
    def _find_duplicates(self) -> None:
        self._status("#dup-status", _("Looking for duplicates…"))
        typed = (self.value("wizard-inn").strip(), self.value("wizard-kpp").strip())
        if typed != self._duplicates_for:  # another INN or KPP: choose anew
            self._duplicates_for = typed
            self.link_key, self.separate = None, False
        phones = [self.value("legal-phone")] + [p for c in self.contacts for p in c.phones]
        name = self.value("wizard-name").strip() or self.value("legal-short_name")
        self._duplicates(self.value("wizard-inn").strip(), self.value("wizard-kpp").strip(),
                         name, phones,
                         [e for c in self.contacts for e in c.emails])

    def _duplicates(self, inn: str, kpp: str, name: str, phones: list[str],
                    emails: list[str]) -> None:
        def read(session: Session) -> Duplicates:
            from crm_tui.store.repo_partners_read import find_duplicates

            return find_duplicates(session, inn, kpp, name, phones, emails)

        self.load_data(read, self._show_duplicates)

    def _same_entity(self, found: Duplicates) -> str | None:
        """The key of a listed legal entity with the INN and KPP typed (any KPP when none
        was typed): linking it is the default."""
        kpp = self.value("wizard-kpp").strip()
        return next((c.key for c in found.same_inn if not kpp or c.kpp == kpp), None)

    def _show_duplicates(self, found: Duplicates) -> None:
        self.duplicates = found
        same_key = self._same_entity(found)
        if same_key is not None and self.link_key is None and not self.separate:
            self.link_key = same_key  # never a second one by Next alone
        same = self.query_one("#dup-same", OptionList)
        same.clear_options()
        for c in found.same_inn:
            label = Text(f"{c.inn} {c.kpp}  {safe_display(c.short_name)}  → "
                         f"{', '.join(c.partner_keys)}")
            if c.key == self.link_key:
                label.append("  ✓ " + _("will be linked"), style="bold")
            same.add_option(Option(label, id=c.key))
        if same_key is not None:
            label = Text(_("Create a separate legal entity with the same INN and KPP (the "
                           "existing one is not linked)"))
            if self.separate:
                label.append("  ✓ " + _("chosen"), style="bold")
            same.add_option(Option(label, id=SEPARATE))
        if found.same_inn:
            same.highlighted = 0
        similar = self.query_one("#dup-similar", OptionList)
        similar.clear_options()
        for hit in found.similar:
            similar.add_option(Option(Text(f"{hit.key}  {safe_display(hit.name)}  {hit.inn}"),
                                      id=hit.key))
        if found.same_inn:
            message = _("A legal entity with this INN already exists: link it or open its partner.")
        elif found.similar:
            message = _("No legal entity with this INN; similar partners are listed below.")
        else:
            message = _("No duplicates found.")
        self._status("#dup-status", message)

    @on(OptionList.OptionSelected, "#dup-same")
    def _link_selected(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id
        self.separate = key == SEPARATE
        self.link_key = None if self.separate else key
        if self.duplicates is not None:
            self._show_duplicates(self.duplicates)
        if self.link_key:
            self.notify(_("The existing legal entity will be linked to the new partner"),
                        markup=False)
        else:
            self.notify(_("A separate legal entity with the same INN will be created"),
                        markup=False)

    def action_open_existing(self) -> None:
        if self.step != 4 or self.duplicates is None:
            return
        focused = self.focused
        key: str | None = None
        if isinstance(focused, OptionList) and focused.highlighted is not None:
            option_id = focused.get_option_at_index(focused.highlighted).id
            if focused.id == "dup-similar":
                key = option_id
            elif option_id == SEPARATE:
                key = None
            else:
                entity = next(c for c in self.duplicates.same_inn if c.key == option_id)
                key = entity.partner_keys[0] if entity.partner_keys else None
        if key is None:
            self.notify(_("Choose a listed partner or legal entity first"), markup=False)
            return
        app = self.app
        self.dismiss(None)
        open_record(app, "partner", key)

    # -- steps 5-7 -----------------------------------------------------------------------
    def _roles(self) -> tuple[str, ...]:
        return tuple(r.value for r in PARTNER_ROLE_BITS
                     if self.query_one(f"#wizard-role-{r.value}", Checkbox).value)

    def _details_ok(self) -> bool:
        error = ""
        if not self.value("wizard-name").strip():
            error = _("{field}: must not be empty").format(field=_("Name"))
        elif not self._roles():
            error = _("choose at least one role")
        self._status("#wizard-name-error", error)
        return not error

    def action_add_contact(self) -> bool:
        if self.step != 6:
            return False
        from crm_tui.domain.partners import validate_contact

        try:
            contact = validate_contact(ContactInput(
                name=self.value("wc-name"), position=self.value("wc-position"),
                phones=split_list(self.value("wc-phones")),
                emails=split_list(self.value("wc-emails"))))
        except DomainError as error:
            self._status("#wc-error", str(error))
            return False
        self.contacts.append(contact)
        self._show_contacts()
        for field in ("wc-name", "wc-position", "wc-phones", "wc-emails"):
            self.query_one(f"#{field}", Input).value = ""
        self._status("#wc-error", "")
        self.query_one("#wc-name").focus()
        return True

    def _partner_input(self) -> PartnerInput:
        region = self.query_one("#wizard-region", Select).value
        manager = self.query_one("#wizard-manager", Select).value
        counterparty = None
        if self.has_inn and self.link_key is None:
            counterparty = CounterpartyInput(
                inn=self.value("wizard-inn").strip(), kpp=self.value("wizard-kpp").strip(),
                **{code: self.value(f"legal-{code}") for code, _l in LEGAL_FIELDS
                   if code != "kpp"})
            if not (counterparty.short_name.strip() or counterparty.full_name.strip()):
                counterparty = CounterpartyInput(**{**counterparty.__dict__,
                                                    "short_name": self.value("wizard-name")})
        return PartnerInput(
            name=self.value("wizard-name"),
            region_id=None if region is Select.NULL else cast(int, region),
            roles=self._roles(),
            manager_id=None if manager is Select.NULL else cast(int, manager),
            new_counterparty=counterparty,
            link_counterparty_keys=(self.link_key,) if self.link_key else (),
            contacts=tuple(self.contacts))

    def _summary(self) -> Text:
        data = self._partner_input()
        # Labels outside the f-strings: the catalog extractor does not look into f-strings.
        roles = ", ".join(_(LABELS[r]) for r in data.roles)
        lines = [_("Name") + f": {data.name}", _("Roles") + f": {roles}",
                 _("Region") + f": {self._select_label('#wizard-region')}",
                 _("Manager") + f": {self._select_label('#wizard-manager')}"]
        if data.new_counterparty is not None:
            c = data.new_counterparty
            lines.append(_("New legal entity") + f": {c.short_name or c.full_name}, "
                         + _("INN") + f" {c.inn} {c.kpp}")
            if self.separate:
                lines.append(_("A separate legal entity with the same INN and KPP as an "
                               "existing one will be created"))
        if self.link_key:
            lines.append(_("Link existing legal entity") + f": {self.link_key}")
        for contact in data.contacts:
            lines.append(_("Contact") + f": {contact.name} {' '.join(contact.phones)} "
                         f"{' '.join(contact.emails)}")
        return Text("\n".join(safe_display(line) for line in lines))

    def _final_duplicates(self) -> None:
        """The duplicate checks again over everything entered (contacts too: with an INN
        the duplicates step came before them); shown above the summary's last line."""
        self._status("#wizard-final-duplicates", _("Looking for duplicates…"))
        inn, kpp = self.value("wizard-inn").strip(), self.value("wizard-kpp").strip()
        name = self.value("wizard-name").strip()
        phones = [self.value("legal-phone")] + [p for c in self.contacts for p in c.phones]
        emails = [e for c in self.contacts for e in c.emails]

        def read(session: Session) -> Duplicates:
            from crm_tui.store.repo_partners_read import find_duplicates

            return find_duplicates(session, inn, kpp, name, phones, emails)

        self.load_data(read, self._show_final_duplicates)

    def _show_final_duplicates(self, found: Duplicates) -> None:
        lines = [_("Possible duplicates — check before creating:")]
        lines += [f"  {hit.key}  {hit.name}  {hit.inn}" for hit in found.similar]
        lines += [f"  {c.inn} {c.kpp}  {c.short_name}  → {', '.join(c.partner_keys)}"
                  for c in found.same_inn if c.key != self.link_key]
        shown = "\n".join(safe_display(line) for line in lines) if len(lines) > 1 else ""
        self._status("#wizard-final-duplicates", shown)

    def _select_label(self, widget: str) -> str:
        select: Any = self.query_one(widget, Select)
        if select.value is Select.NULL:
            return "—"
        return tui_compat.select_prompt(select)

    @work(thread=True, exclusive=True, group="wizard-create")
    def _create(self, data: PartnerInput) -> None:
        from crm_tui.store.repo_partners_write import create_partner

        try:
            with self.db.write() as session:
                key = create_partner(session, data)
        except DomainError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        self.app.call_from_thread(self.dismiss, key)
