"""Asks before posting a claim whose action plan still has open tasks."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import CrmModal
from crm_tui.widgets.key_bar import KeyBar


class PostOpenTasksDialog(CrmModal[bool]):
    """Dismisses with True (post anyway) on Y/Enter, False on N/Esc."""

    CSS_PATH = "claims.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", N_("Post anyway"), id="claim.post-open.yes"),
        Binding("n,escape", "answer(False)", N_("Do not post"), id="claim.post-open.no"),
    ]

    def __init__(self, open_count: int) -> None:
        super().__init__()
        self.open_count = open_count

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(_("Open tasks in the action plan: {count}. Post the claim "
                                "anyway?").format(count=self.open_count)),
                         markup=False, id="post-open-question")
            yield Static(Text(_("Posting makes the outcome final; the open tasks stay "
                                "undone."), style="dim"), markup=False)
        yield KeyBar()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
