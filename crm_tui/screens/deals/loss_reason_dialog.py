"""Asks why a deal was lost: one value of the loss-reason classifier. StageDialog asks the
same way which stage a deal goes to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import CrmModal


class LossReasonDialog(CrmModal[int | None]):
    """Dismisses with the chosen reason's id, or None when the user goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Back"), id="loss.cancel"),
    ]
    CSS_PATH = "deals.tcss"
    QUESTION = N_("Why was the deal lost?")
    EMPTY = N_("The loss reason classifier is empty; add reasons in Settings.")

    def __init__(self, deal_name: str, reasons: Sequence[tuple[int, str]],
                 summary: Text | None = None) -> None:
        super().__init__()
        self.deal_name = deal_name
        self.reasons = list(reasons)
        self.summary = summary  # the deal's key, name, partner and amount, when known

    def compose(self) -> ComposeResult:
        with Vertical():
            title = Text(_(self.QUESTION), style="bold")
            if self.summary is not None:
                title.append("\n\n")
                title.append_text(self.summary)
            else:
                title.append("\n")
                title.append(safe_display(self.deal_name))
            yield Static(title, markup=False)
            if not self.reasons:
                yield Static(Text(_(self.EMPTY)), markup=False)
            yield OptionList(*[Option(Text(safe_display(name)), id=str(reason_id))
                               for reason_id, name in self.reasons], id="loss-reasons")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


class StageDialog(LossReasonDialog):
    """Dismisses with the chosen stage's id, or None when the user goes back."""

    QUESTION = N_("Move the deal to which stage?")
    EMPTY = N_("This deal kind has no stages.")
