"""The editor of one setting typed as text or a number: a small dialog that stays open, with
the reason under the field, until the value is saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import CrmModal


class SettingDialog(CrmModal[None]):
    """Edit one setting. Enter hands the text to `submit`, which saves it (in a worker) and
    then either dismisses the dialog or calls `show_error`; Esc leaves it unchanged."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Back"), id="setting.back"),
    ]
    CSS_PATH = "settings.tcss"

    def __init__(self, title: str, text: str, submit: Callable[[SettingDialog, str], None],
                 *, number: bool = False, secret: bool = False,
                 hint: str | None = None) -> None:
        super().__init__()
        self.title_text, self.text, self.submit = title, text, submit
        self.number, self.secret, self.hint = number, secret, hint

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Input(self.text, id="setting-value", password=self.secret,
                        restrict=r"[0-9]*" if self.number else None)
            yield Static(Text(""), id="setting-error", markup=False)
            yield Static(Text(self.hint or _("Enter saves for everyone using this database; "
                                             "Esc cancels")),
                         id="setting-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.show_error("")
        self.submit(self, event.value)

    def show_error(self, message: str) -> None:
        """Say why the value was not saved, under the field."""
        self.query_one("#setting-error", Static).update(Text(message))

    def action_cancel(self) -> None:
        self.dismiss(None)
