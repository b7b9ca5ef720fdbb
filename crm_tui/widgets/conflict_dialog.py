"""The dialog shown when a save finds that someone else saved the record first."""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from crm_tui.i18n import _

ConflictChoice = Literal["reload", "reapply", "cancel"]


class ConflictDialog(ModalScreen[ConflictChoice]):
    """Shows what the other person changed; the user reloads, re-applies, or goes back.

    `changes` lists (field label, their value, your value)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "choose('cancel')", show=False)]
    DEFAULT_CSS = """
    ConflictDialog { align: center middle; }
    ConflictDialog > Vertical {
        width: 80; height: auto; max-height: 80%; border: thick $error; background: $surface;
        padding: 1 2;
    }
    ConflictDialog Horizontal { height: auto; margin-top: 1; }
    ConflictDialog Button { margin-right: 2; }
    """

    def __init__(self, changes: list[tuple[str, str, str]], who: str | None = None) -> None:
        super().__init__()
        self.changes = changes
        self.who = who

    def compose(self) -> ComposeResult:
        with Vertical():
            title = _("Someone else saved this record after you opened it.")
            if self.who:
                title = _("{user} saved this record after you opened it.").format(user=self.who)
            yield Static(Text(title, style="bold"), markup=False)
            body = Text()
            for label, theirs, yours in self.changes:
                body.append(f"{label}: ", style="bold")
                body.append(_("theirs «{value}»").format(value=theirs))
                body.append(" · ")
                body.append(_("yours «{value}»").format(value=yours))
                body.append("\n")
            yield Static(body, markup=False)
            with Horizontal():
                yield Button(_("Reload theirs"), id="reload", variant="primary")
                yield Button(_("Re-apply mine"), id="reapply", variant="warning")
                yield Button(_("Back to my edit"), id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)  # type: ignore[arg-type]

    def action_choose(self, choice: ConflictChoice) -> None:
        self.dismiss(choice)
