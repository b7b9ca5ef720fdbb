"""Choose an existing legal entity (by INN or name) to link to a partner."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import CrmModal
from crm_tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm_tui.store.repo_partners_read import CounterpartyView


class LinkCounterpartyScreen(CrmModal[str | None]):
    """Dismisses with the chosen counterparty key, or None."""

    CSS_PATH = "partners.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Back"), id="link.back"),
        Binding("down", "to_list", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = _("Link an existing legal entity")
            yield Input(placeholder=_("INN or name"), id="link-search")
            yield OptionList(id="link-options")
        yield KeyBar()

    def on_mount(self) -> None:
        self._search("")

    @on(Input.Changed, "#link-search")
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    def _search(self, value: str) -> None:
        def read(session: Session) -> list[CounterpartyView]:
            from crm_tui.store.repo_partners_read import search_counterparties

            return search_counterparties(session, value)

        # What was typed last wins: an earlier, slower search never replaces its answer.
        self.load_data(read, self._show)

    def _show(self, found: list[CounterpartyView]) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        for c in found:
            options.add_option(Option(Text(f"{c.inn}  {safe_display(c.short_name)}"), id=c.key))

    def action_to_list(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            first = options.get_option_at_index(0)
            self.dismiss(first.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
