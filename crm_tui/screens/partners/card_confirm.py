"""A yes/no question for the partner card (deleting a contact)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from crm_tui.i18n import N_
from crm_tui.screens.shell.base import CrmModal
from crm_tui.widgets.key_bar import KeyBar


class ConfirmScreen(CrmModal[bool]):
    """Shows `question` (plain text, never markup); dismisses with True on Y/Enter."""

    CSS_PATH = "partners.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", N_("Yes"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", N_("No"), id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question), markup=False, id="confirm-question")
        yield KeyBar()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
