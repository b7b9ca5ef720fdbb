"""Create a brand-new legal entity (counterparty) for a partner from its card.

INN, KPP and OGRN are checked as typed (domain.identifiers); a valid INN is looked up in the
configured autofill provider in a worker (Ctrl+R again) and legal entities already known
with the same INN (+KPP) are listed: Enter on one links it instead of creating a copy.
Dismisses with the created or linked counterparty key, or None."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from crm_tui.domain.errors import DomainError
from crm_tui.domain.identifiers import validate_inn, validate_kpp, validate_ogrn
from crm_tui.domain.partners import CounterpartyInput
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import CrmModal
from crm_tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from crm_tui.autofill import LegalEntity
    from crm_tui.store.repo_partners_read import CounterpartyView

FIELDS = (("inn", N_("INN")), ("kpp", N_("KPP")), ("ogrn", N_("OGRN")),
          ("short_name", N_("Short name")), ("full_name", N_("Full name")),
          ("legal_address", N_("Address")), ("phone", N_("Phone")))
CHECKS = {"inn": validate_inn, "kpp": validate_kpp, "ogrn": validate_ogrn}


class NewEntityScreen(CrmModal[str | None]):
    """A new legal entity form with autofill and duplicate check."""

    CSS_PATH = "partners.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Create"), id="entity.save", priority=True),
        Binding("ctrl+r", "autofill", N_("Autofill again"), id="entity.autofill"),
        Binding("escape", "cancel", N_("Back"), id="entity.back"),
    ]

    def __init__(self, partner_key: str) -> None:
        super().__init__()
        self.partner_key = partner_key
        self.duplicates: list[CounterpartyView] = []
        self._looked_up = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = _("New legal entity")
            for code, label in FIELDS:
                with Horizontal(classes="entity-row"):
                    yield Label(_(label))
                    yield Input(id=f"entity-{code}")
                    if code in CHECKS:
                        yield Static("", id=f"entity-{code}-error", classes="field-error",
                                     markup=False)
            yield Static("", id="entity-status", markup=False)
            yield Label(_("Legal entities with this INN (Enter: link it instead)"))
            yield OptionList(id="entity-duplicates")
            yield Static("", id="entity-error", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#entity-inn").focus()

    def value(self, code: str) -> str:
        """The typed value of field `code`, trimmed."""
        return self.query_one(f"#entity-{code}", Input).value.strip()

    def _field_error(self, code: str) -> str:
        value = self.value(code)
        if not value or (code == "inn" and len(value) < 10 and value.isdigit()):
            return ""
        try:
            CHECKS[code](value)
        except DomainError as error:
            return str(error)
        return ""

    @on(Input.Changed, "#entity-inn, #entity-kpp, #entity-ogrn")
    def _check(self, event: Input.Changed) -> None:
        code = (event.input.id or "").removeprefix("entity-")
        self.query_one(f"#entity-{code}-error", Static).update(Text(self._field_error(code)))
        if code in ("inn", "kpp") and self.value("inn") and not self._field_error("inn") \
                and len(self.value("inn")) in (10, 12):
            self._lookup(self.value("inn"), self.value("kpp"), autofill=code == "inn"
                         and self._looked_up != self.value("inn"))

    def action_autofill(self) -> None:
        inn = self.value("inn")
        if inn and not self._field_error("inn"):
            self._lookup(inn, self.value("kpp"), autofill=True)

    @work(thread=True, exclusive=True, group="entity-lookup")
    def _lookup(self, inn: str, kpp: str, autofill: bool) -> None:
        """Known legal entities with this INN (+KPP); then the autofill provider."""
        from crm_tui.autofill import AutofillError, provider_from_settings
        from crm_tui.store.repo_partners_read import counterparties_by_inn
        from crm_tui.store.settings import all_settings

        with self.db.read() as session:
            found = counterparties_by_inn(session, inn, kpp)
            settings = all_settings(session)
        self.app.call_from_thread(self._show_duplicates, found)
        if not autofill:
            return
        self.app.call_from_thread(self._status, _("Looking up INN {inn}…").format(inn=inn))
        try:
            entity = provider_from_settings(settings).find_by_inn(inn, kpp)
        except AutofillError as error:
            self.app.call_from_thread(
                self._status, _("Autofill failed: {error}").format(error=str(error)))
            return
        self.app.call_from_thread(self._autofilled, inn, entity)

    def _status(self, message: str) -> None:
        self.query_one("#entity-status", Static).update(Text(message))

    def _autofilled(self, inn: str, entity: LegalEntity) -> None:
        self._looked_up = inn
        for code, _label in FIELDS[1:]:
            value = getattr(entity, code, "")
            field = self.query_one(f"#entity-{code}", Input)
            if value and not field.value.strip():
                field.value = safe_display(value)
        self._status(_("Found: {name}").format(
            name=safe_display(entity.short_name or entity.full_name)))

    def _show_duplicates(self, found: list[CounterpartyView]) -> None:
        self.duplicates = found
        options = self.query_one("#entity-duplicates", OptionList)
        options.clear_options()
        for c in found:
            options.add_option(Option(Text(f"{c.inn} {c.kpp}  {safe_display(c.short_name)}  → "
                                           f"{', '.join(c.partner_keys)}"), id=c.key))
        if found:
            options.highlighted = 0

    @on(OptionList.OptionSelected, "#entity-duplicates")
    def _link(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._write(None, event.option.id)

    def action_save(self) -> None:
        exact = [c for c in self.duplicates
                 if c.inn == self.value("inn") and c.kpp == self.value("kpp").upper()]
        if exact:
            self._error(_("This legal entity already exists: choose it in the list and press "
                          "Enter to link it."))
            self.query_one("#entity-duplicates").focus()
            return
        data = CounterpartyInput(**{code: self.query_one(f"#entity-{code}", Input).value
                                    for code, _label in FIELDS})
        self._write(data, None)

    @work(thread=True, exclusive=True, group="entity-save")
    def _write(self, data: CounterpartyInput | None, link_key: str | None) -> None:
        from crm_tui.store import repo_partners_write as repo

        try:
            with self.db.write() as session:
                if data is not None:
                    key = repo.add_counterparty(session, self.partner_key, data)
                else:
                    assert link_key is not None
                    repo.link_counterparty(session, self.partner_key, link_key)
                    key = link_key
        except DomainError as error:
            self.app.call_from_thread(self._error, str(error))
            return
        self.app.call_from_thread(self.dismiss, key)

    def _error(self, message: str) -> None:
        self.query_one("#entity-error", Static).update(Text(message))

    def action_cancel(self) -> None:
        self.dismiss(None)
