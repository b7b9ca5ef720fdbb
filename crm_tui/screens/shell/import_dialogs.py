"""The import screen's small dialogs: which field a column fills, and a mapping's name (to
save it, or one of the saved ones to use)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from crm_tui.domain.errors import DomainError
from crm_tui.domain.text import check_text
from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import CrmModal

NOT_IMPORTED = "-"  # the option for "this column is not imported"


class ChoiceDialog(CrmModal[str | None]):
    """A list to choose from (a column's field, a saved mapping); dismisses with the chosen
    option's id, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="import_choice.cancel"),
    ]
    CSS_PATH = "shell.tcss"

    def __init__(self, title: str, options: list[tuple[str, str]], current: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            box.border_subtitle = _("Enter chooses · Esc cancels")
            yield OptionList(*(Option(Text(label), id=value) for value, label in self.options),
                             id="import-choice")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [value for value, _label in self.options]
        options.highlighted = ids.index(self.current) if self.current in ids else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(str(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)


class NameDialog(CrmModal[str | None]):
    """Asks the name to save a mapping under."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="import_name.cancel"),
    ]
    CSS_PATH = "shell.tcss"

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = _("Save the mapping")
            box.border_subtitle = _("Enter saves · Esc cancels")
            yield Label(_("Name of the mapping (to use it again with files like this one):"))
            yield Input(id="import-mapping-name")
            yield Static("", id="import-name-error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            name = check_text(event.value.strip(), _("Name"))
            if not name:
                raise DomainError(_("Type a name"))
        except DomainError as error:
            self.query_one("#import-name-error", Static).update(Text(str(error)))
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
