"""The widgets of each step of the new-partner wizard (composed once, so going back keeps
everything typed)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Checkbox,
    DataTable,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Select,
    Static,
)

from crm_tui.domain.enums import LABELS, PARTNER_ROLE_BITS
from crm_tui.i18n import N_, _

STEP_TITLES = (
    N_("1. What is it"), N_("2. INN and KPP"), N_("3. Autofill"), N_("4. Possible duplicates"),
    N_("5. Partner details"), N_("6. Contacts"), N_("7. Summary"),
)
KINDS = (("organisation", N_("Organisation")), ("sole_trader", N_("Sole trader")),
         ("person", N_("Private person")))
LEGAL_FIELDS = (("short_name", N_("Short name")), ("full_name", N_("Full name")),
                ("kpp", N_("KPP")), ("ogrn", N_("OGRN")), ("legal_address", N_("Address")),
                ("phone", N_("Phone")))


class ArrowRadioSet(RadioSet):
    """A RadioSet whose arrow keys choose the option they move to (Textual's only move a
    highlight, leaving Enter or Space to choose); Enter is left to the wizard (next step)."""

    def action_next_button(self) -> None:
        super().action_next_button()
        self.action_toggle_button()

    def action_previous_button(self) -> None:
        super().action_previous_button()
        self.action_toggle_button()


def _field(label: str, widget_id: str, error: bool = False) -> ComposeResult:
    # The row has an id: a field hidden for some kinds of partner hides its label too.
    with Horizontal(classes="wizard-row", id=f"row-{widget_id}"):
        yield Label(_(label))
        yield Input(id=widget_id)
        if error:
            yield Static("", id=f"{widget_id}-error", classes="field-error", markup=False)


def step_kind() -> ComposeResult:
    with Vertical(id="step-1", classes="step"):
        yield Label(_("Who is the new partner?"))
        with ArrowRadioSet(id="wizard-kind"):
            for index, (code, label) in enumerate(KINDS):
                yield RadioButton(_(label), value=index == 0, id=f"kind-{code}")


def step_inn() -> ComposeResult:
    with Vertical(id="step-2", classes="step"):
        yield from _field(N_("INN"), "wizard-inn", error=True)
        yield from _field(N_("KPP"), "wizard-kpp", error=True)
        yield Static(_("A private person may have no INN: leave it empty."),
                     classes="hint", markup=False)


def step_autofill() -> ComposeResult:
    with Vertical(id="step-3", classes="step"):
        yield Static("", id="autofill-status", markup=False)
        for code, label in LEGAL_FIELDS:
            yield from _field(label, f"legal-{code}")
        yield Static(_("Edit anything, or go on without autofill (Ctrl+R: try again)."),
                     classes="hint", markup=False)


def step_duplicates() -> ComposeResult:
    with Vertical(id="step-4", classes="step"):
        yield Static("", id="dup-status", markup=False)
        yield Label(_("Legal entities with this INN (Enter: link it to the new partner, "
                      "Ctrl+O: open its partner; the last line: a separate one)"))
        yield OptionList(id="dup-same")
        yield Label(_("Partners with a similar name, the same phone or e-mail"))
        yield OptionList(id="dup-similar")


def step_details() -> ComposeResult:
    with Vertical(id="step-5", classes="step"):
        yield from _field(N_("Name"), "wizard-name", error=True)
        with Horizontal(classes="wizard-row"):
            yield Label(_("Region"))
            yield Select[int]([], prompt=_("No region"), id="wizard-region")
        with Horizontal(classes="wizard-row"):
            yield Label(_("Roles"))
            for role in PARTNER_ROLE_BITS:
                # Compact: four bordered boxes did not fit 80 columns beside the label.
                yield Checkbox(_(LABELS[role.value]), value=role.value == "client",
                               id=f"wizard-role-{role.value}", compact=True)
        with Horizontal(classes="wizard-row"):
            yield Label(_("Manager"))
            yield Select[int]([], prompt=_("No manager"), id="wizard-manager")


def step_contacts() -> ComposeResult:
    with Vertical(id="step-6", classes="step"):
        yield from _field(N_("Name"), "wc-name")
        yield from _field(N_("Position"), "wc-position")
        yield from _field(N_("Phones"), "wc-phones")
        yield from _field(N_("E-mails"), "wc-emails")
        yield Static(_("Ctrl+A adds the contact; add any number, or none."),
                     classes="hint", markup=False)
        yield Static("", id="wc-error", classes="field-error", markup=False)
        yield DataTable(id="wc-table", cursor_type="row")


def step_summary() -> ComposeResult:
    with Vertical(id="step-7", classes="step"):
        yield Static("", id="wizard-summary", markup=False)
        yield Static("", id="wizard-final-duplicates", classes="field-error", markup=False)
        yield Static(_("Enter or Ctrl+N creates the partner."), classes="hint", markup=False)
