"""A list filter for one partner: "Any partner ▾" on one line, like the other filters;
Enter, space or a click opens a dialog that searches partners as you type.

A PartnerPicker (a text field with suggestions) in a list's filter row was the most
expensive widget of the agreements section to build; the search is now built only when
asked for. The value is the partner's key (FilterChoice.NULL: any partner)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from crm_tui.domain.text import safe_display
from crm_tui.i18n import _
from crm_tui.widgets.filter_choice import FilterChoice
from crm_tui.widgets.key_bar import dialog_key_bar
from crm_tui.widgets.partner_picker import PartnerPicker, PartnerSource

CLEARED = ("", "")  # the dialog's answer for "any partner"


class PartnerSearchDialog(ModalScreen[tuple[str, str] | None]):
    """Search a partner; dismissed with (key, name), CLEARED for any partner, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False, id="partner-search.back"),
        Binding("ctrl+r", "any", show=False, id="partner-search.any"),
    ]
    DEFAULT_CSS = """
    PartnerSearchDialog { align: center middle; }
    PartnerSearchDialog > Vertical { width: 70; height: auto; max-height: 80%;
                                     border: round $accent; background: $surface;
                                     padding: 0 1; }
    PartnerSearchDialog #partner-search-hint { color: $text-muted; }
    """

    def __init__(self, title: str, source: PartnerSource) -> None:
        super().__init__()
        self.title_text = title
        self.source = source

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield PartnerPicker(source=self.source, id="partner-search-picker")
            yield Static(Text(_("Type a name, INN, phone or e-mail; ↓ and Enter pick; "
                                "Ctrl+R: any partner; Esc: back")),
                         id="partner-search-hint", markup=False)
        yield dialog_key_bar()

    def on_mount(self) -> None:
        self.query_one("#partner-picker-input").focus()

    @on(PartnerPicker.Changed)
    def _picked(self, event: PartnerPicker.Changed) -> None:
        event.stop()
        if event.partner_key:
            self.dismiss((event.partner_key, event.name))

    def action_any(self) -> None:
        self.dismiss(CLEARED)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PartnerChoice(FilterChoice):
    """One partner, or any: a filter field whose choices come from a search dialog."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space,down", "open", show=False),
    ]

    def __init__(self, *, prompt: str, source: PartnerSource, id: str | None = None) -> None:
        super().__init__(prompt=prompt, id=id)
        self.partner_source = source

    @property
    def partner_key(self) -> str | None:
        """The chosen partner's key, or None for any partner."""
        return None if self.value is FilterChoice.NULL else str(self.value)

    def choose(self, key: str, name: str) -> None:
        """Show `name` and choose the partner `key` (posts Changed)."""
        self.set_options([(Text(safe_display(name)), key)])
        self.value = key

    def action_open(self) -> None:
        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            if answer == CLEARED:
                self.clear()
            else:
                self.choose(*answer)

        self.app.push_screen(PartnerSearchDialog(self.prompt, self.partner_source), chosen)
