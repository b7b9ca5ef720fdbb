"""The deal form's primary-demand editor: the lines so far and a line to add — item (with
completion from items asked for before), quantity, price, amount, met or the unmet-demand
reason. It only collects input: the screen reads the fields (ids `demand-item`,
`demand-quantity`, `demand-price`, `demand-amount`, `demand-met`, `demand-reason`,
`add-demand`) and checks them with domain/deals.py."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from crm_tui.domain.deals import DemandLine, show_amount
from crm_tui.domain.text import safe_display
from crm_tui.i18n import _


class DemandLineEditor(Vertical):
    """The demand lines (an OptionList, Del removes one) and the fields of a new line."""

    DEFAULT_CSS = """
    DemandLineEditor { height: auto; }
    DemandLineEditor OptionList { height: auto; max-height: 8; }
    DemandLineEditor .demand-row { height: auto; }
    DemandLineEditor .demand-row > Input { width: 1fr; }
    DemandLineEditor #demand-item { width: 3fr; }
    DemandLineEditor .demand-row > Select { width: 1fr; }
    DemandLineEditor .demand-row > Checkbox { width: auto; }
    DemandLineEditor .demand-row > Button { dock: right; width: auto; min-width: 8; }
    /* an unticked box's X is drawn near the background colour: keep it legible, dimmer */
    DemandLineEditor Checkbox > .toggle--button { color: $text-muted; }
    DemandLineEditor Checkbox.-on > .toggle--button { color: $text-success; }
    DemandLineEditor .field-error { color: $error; height: auto; }
    DemandLineEditor .field-label { margin-top: 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Label(Text(_("Primary demand: what the client asked for "
                           "(Del removes the highlighted line)")), classes="field-label")
        yield OptionList(id="demand")
        with Horizontal(classes="demand-row"):
            yield Input(id="demand-item", placeholder=_("Item"))
            yield Input(id="demand-quantity", placeholder=_("Qty"))
            yield Input(id="demand-price", placeholder=_("Price"))
            yield Input(id="demand-amount", placeholder=_("Amount"))
        with Horizontal(classes="demand-row"):
            yield Checkbox(_("Met"), id="demand-met")
            yield Select[str]([], id="demand-reason", prompt=_("Unmet-demand reason"))
            yield Button(_("Add"), id="add-demand")
        yield Static("", id="err-demand", classes="field-error", markup=False)

    def set_items(self, items: Iterable[str]) -> None:
        """The items offered as completion (asked for before)."""
        self.query_one("#demand-item", Input).suggester = SuggestFromList(
            list(items), case_sensitive=False)

    @on(Checkbox.Changed, "#demand-met")
    def _met_changed(self, event: Checkbox.Changed) -> None:
        # a met line has no unmet-demand reason
        self.query_one("#demand-reason", Select).disabled = event.value

    def clear_line(self) -> None:
        """Empty the new line's fields after it was added."""
        for name in ("item", "quantity", "price", "amount"):
            self.query_one(f"#demand-{name}", Input).value = ""
        self.query_one("#demand-met", Checkbox).value = False
        self.query_one("#demand-item", Input).focus()


def demand_option(line: DemandLine, reason: str) -> Option:
    """A line as the list shows it: ✓ met / ✗ unmet, item, quantity × price = amount, reason."""
    result = Text("✓ " if line.met else "✗ ", style="bold")
    result.append(safe_display(line.item or line.description or "—"))
    figures = []
    if line.quantity is not None:
        figures.append(f"{line.quantity.normalize():f}")
    if line.price is not None:
        figures.append("× " + show_amount(line.price))
    if line.amount is not None:
        figures.append("= " + show_amount(line.amount))
    if figures:
        result.append("  " + " ".join(figures))
    if not line.met:
        result.append(" — ")
        result.append(safe_display(reason), style="italic")
    return Option(result)
