"""The one question before a deal is closed: which deal, for how much.

Winning on the board asks here (Enter wins, Esc goes back); losing asks in LossReasonDialog,
which shows the same summary above its reasons. A deal is never closed by one stray key."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from crm_tui.domain.deals import show_amount
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import CrmModal
from crm_tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from crm_tui.screens.deals.outcome import DealTarget


def deal_summary(deal: DealTarget) -> Text:
    """The deal as the questions name it: key and name, then partner and amount when the
    host knows them (the board's card does; the form's saved deal is key and name only)."""
    summary = Text()
    summary.append(f"{deal.key}  ", style="bold")
    summary.append(safe_display(deal.name), style="bold")
    partner, amount = getattr(deal, "partner", None), getattr(deal, "amount", None)
    if isinstance(partner, str):
        summary.append("\n" + _("Partner: {name}").format(name=safe_display(partner)))
    if isinstance(amount, Decimal):
        summary.append("\n" + _("Amount: {amount}").format(amount=show_amount(amount)))
    return summary


class WinDialog(CrmModal[bool]):
    """Asks whether to close the deal as won; dismisses with True to win it."""

    CSS_PATH = "deals.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "answer(True)", N_("Win the deal"), id="win.yes"),
        Binding("escape,n", "answer(False)", N_("Back"), id="win.no"),
    ]

    def __init__(self, card: DealTarget) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        with Vertical():
            question = Text(_("Close this deal as won?"), style="bold")
            question.append("\n\n")
            question.append_text(deal_summary(self.card))
            yield Static(question, markup=False, id="win-question")
        yield KeyBar()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
