"""Registering a claim from a discrepancy act: the user gives the act's number and date."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from crm_tui.domain import clock
from crm_tui.domain.claims import act_reference, parse_day
from crm_tui.domain.errors import DomainError
from crm_tui.domain.formatting import show_date
from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import CrmModal


class DiscrepancyActDialog(CrmModal[str | None]):
    """Asks for the act's number and date; dismisses with the reference ("№ N of DATE")."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Back"), id="act.cancel"),
        Binding("ctrl+s", "accept", N_("Register"), id="act.accept"),
    ]
    CSS_PATH = "claims.tcss"

    def __init__(self) -> None:
        super().__init__()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(_("Claim from a discrepancy act"), style="bold"), markup=False)
            yield Label(_("Act number"))
            yield Input(id="act-number")
            yield Label(_("Act date (YYYY-MM-DD or DD.MM.YYYY)"))
            yield Input(show_date(clock.now().date()), id="act-date")
            yield Static("", id="act-error", markup=False)
            with Horizontal():
                yield Button(_("Register"), id="act-ok", variant="primary")
                yield Button(_("Back"), id="act-back")

    def on_mount(self) -> None:
        self.query_one("#act-number", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "act-number":
            self.query_one("#act-date", Input).focus()
        else:
            self.action_accept()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "act-ok":
            self.action_accept()
        else:
            self.action_cancel()

    def action_accept(self) -> None:
        """Check the number and date and hand back the act's reference."""
        try:
            day = parse_day(self.query_one("#act-date", Input).value, _("Act date"))
            if day is None:
                raise DomainError(_("the act date is required"))
            reference = act_reference(self.query_one("#act-number", Input).value, day)
        except DomainError as error:
            self.query_one("#act-error", Static).update(Text(str(error)))
            return
        self.dismiss(reference)

    def action_cancel(self) -> None:
        self.dismiss(None)
