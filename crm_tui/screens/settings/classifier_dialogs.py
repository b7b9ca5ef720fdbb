"""Dialogs of the classifier editors: a value's code and name; a deal kind with its stage
control and its stages in order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from crm_tui.domain.enums import LABELS, StageControl
from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import CrmModal
from crm_tui.widgets.key_bar import KeyBar


@dataclass(frozen=True)
class KindEdit:
    """What the deal kind dialog returns."""

    code: str
    name: str
    control: str
    stages: tuple[str, ...]


class ValueDialog(CrmModal[tuple[str, str] | None]):
    """Code (new values only) and name; dismisses with (code, name) or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "done", N_("Save"), id="classifier_value.save", priority=True),
        Binding("escape", "cancel", N_("Cancel"), id="classifier_value.cancel"),
    ]
    CSS_PATH = "settings.tcss"

    def __init__(self, title: str, code: str | None = None, name: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.code = code
        self.value_name = name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text, style="bold"), markup=False)
            if self.code is None:
                yield Label(_("Code (Latin letters, digits, _ - .)"))
                yield Input(id="code", max_length=64, restrict=r"[A-Za-z0-9_.\-]*")
            yield Label(_("Name"))
            yield Input(self.value_name, id="name", max_length=200)
            yield Static(Text(_("Enter or Ctrl+S saves, Esc cancels")), markup=False)
        yield KeyBar()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_done()

    def action_done(self) -> None:
        code = self.code if self.code is not None else self.query_one("#code", Input).value
        self.dismiss((code, self.query_one("#name", Input).value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class DealKindDialog(CrmModal[KindEdit | None]):
    """A deal kind: name, stage control and the stages it walks, in order."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "done", N_("Save"), id="deal_kind.save", priority=True),
        Binding("ctrl+n", "add_stage", N_("Add the chosen stage"), id="deal_kind.add_stage"),
        Binding("delete", "remove_stage", N_("Remove stage"), id="deal_kind.remove_stage"),
        Binding("ctrl+up", "move(-1)", N_("Stage up"), id="deal_kind.up"),
        Binding("ctrl+down", "move(1)", N_("Stage down"), id="deal_kind.down"),
        Binding("escape", "cancel", N_("Cancel"), id="deal_kind.cancel"),
    ]
    CSS_PATH = "settings.tcss"

    def __init__(self, title: str, stages: list[tuple[str, str]],
                 current: KindEdit | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.all_stages = dict(stages)  # code -> name
        self.stage_order = [code for code, _name in stages]
        self.current = current
        self.chosen: list[str] = list(current.stages) if current else []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text, style="bold"), markup=False)
            if self.current is None:
                yield Label(_("Code (Latin letters, digits, _ - .)"))
                yield Input(id="code", max_length=64, restrict=r"[A-Za-z0-9_.\-]*")
            yield Label(_("Name"))
            yield Input(self.current.name if self.current else "", id="name", max_length=200)
            yield Label(_("Stage control"))
            yield Select([(Text(_(LABELS[c.value])), c.value) for c in StageControl],
                         value=self.current.control if self.current else StageControl.STRICT.value,
                         allow_blank=False, id="control")
            yield Label(_("Stages in order (Delete removes, Ctrl+Up/Down moves)"))
            yield OptionList(id="kind-stages")
            yield Label(_("Add a stage (choose, then Ctrl+N)"))
            yield Select([(Text(name), code) for code, name in self.all_stages.items()],
                         prompt=_("Choose a stage"), id="add-stage")
            yield Static(Text(_("Existing deals keep their stage history when stages change.")),
                         markup=False)
            yield Static(Text(""), classes="dialog-error", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self._show_stages()

    def _show_stages(self, highlight: int | None = None) -> None:
        options = self.query_one("#kind-stages", OptionList)
        options.clear_options()
        for number, code in enumerate(self.chosen, 1):
            options.add_option(Option(Text(f"{number}. {self.all_stages.get(code, code)} ({code})"),
                                      id=code))
        if highlight is not None and self.chosen:
            options.highlighted = max(0, min(highlight, len(self.chosen) - 1))

    def action_add_stage(self) -> None:
        value = self.query_one("#add-stage", Select).value
        if value == Select.NULL:
            return
        code = str(value)
        if code in self.chosen:
            self._error(_("a stage is listed twice"))
            return
        self.chosen.append(code)
        self._error("")
        self._show_stages(len(self.chosen) - 1)

    def action_remove_stage(self) -> None:
        index = self.query_one("#kind-stages", OptionList).highlighted
        if index is None or not self.chosen:
            return
        del self.chosen[index]
        self._show_stages(index)

    def action_move(self, delta: int) -> None:
        index = self.query_one("#kind-stages", OptionList).highlighted
        if index is None or not 0 <= index + delta < len(self.chosen):
            return
        self.chosen[index], self.chosen[index + delta] = (self.chosen[index + delta],
                                                          self.chosen[index])
        self._show_stages(index + delta)

    def _error(self, message: str) -> None:
        self.query_one(".dialog-error", Static).update(Text(message))

    def action_done(self) -> None:
        code = self.current.code if self.current else self.query_one("#code", Input).value
        control = str(self.query_one("#control", Select).value)
        self.dismiss(KindEdit(code, self.query_one("#name", Input).value, control,
                              tuple(self.chosen)))

    def action_cancel(self) -> None:
        self.dismiss(None)
