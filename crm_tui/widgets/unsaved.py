""""Save changes?" (Save / Discard / Cancel) before a form with unsaved input is left.

A form takes part by having `has_unsaved_changes()` (its values differ from the ones it was
opened with) and `save_changes(then)` (save as Ctrl+S does; call `then()` only once saved).
Esc on the form asks through `ask_save_changes`; the app asks through `leave_forms` before
Ctrl+Q, F2 (the language switch rebuilds every screen) and switching section; opening another
record over the form asks in screens/navigation.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, Literal, Protocol, runtime_checkable

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from crm_tui.i18n import N_, _
from crm_tui.widgets.bindings import translate_bindings
from crm_tui.widgets.key_bar import KeyBar

Answer = Literal["save", "discard", "cancel"]


@runtime_checkable
class UnsavedForm(Protocol):
    """A form that knows when it holds unsaved input."""

    def has_unsaved_changes(self) -> bool: ...

    def save_changes(self, then: Callable[[], Any]) -> None: ...


class SaveChangesDialog(ModalScreen[Answer]):
    """Asks whether to save the form's changes; dismisses with save, discard or cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer('save')", N_("Save"), id="unsaved.save"),
        Binding("n", "answer('discard')", N_("Discard"), id="unsaved.discard"),
        Binding("escape", "answer('cancel')", N_("Cancel"), id="unsaved.cancel"),
    ]
    DEFAULT_CSS = """
    SaveChangesDialog { align: center middle; }
    SaveChangesDialog > Vertical { width: 60; height: auto; border: thick $warning;
                                   background: $surface; padding: 1 2; }
    SaveChangesDialog Horizontal { height: auto; margin-top: 1; }
    SaveChangesDialog Button { margin-right: 2; }
    """

    def __init__(self, title: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self.form_title = title

    def compose(self) -> ComposeResult:
        with Vertical():
            question = Text(_("Save changes?"), style="bold")
            if self.form_title:
                question.append("\n" + self.form_title, style="")
            yield Static(question, markup=False, id="save-question")
            with Horizontal():
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Discard"), id="discard", variant="warning")
                yield Button(_("Cancel"), id="cancel")
        yield KeyBar(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id or "cancel")

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)  # type: ignore[arg-type]


def is_dirty(screen: Screen[Any]) -> bool:
    """Whether `screen` is a form holding unsaved input the user has not discarded."""
    return (isinstance(screen, UnsavedForm) and not getattr(screen, "changes_discarded", False)
            and screen.has_unsaved_changes())


def ask_save_changes(form: Screen[Any], leave: Callable[[], Any]) -> None:
    """Esc on `form`: leave at once when nothing changed, else ask; Save saves, then
    leaves; Discard leaves; Cancel stays."""
    if not is_dirty(form):
        leave()
        return

    def leave_once() -> None:  # a form that closes itself once saved is left already
        if form in form.app.screen_stack:
            leave()

    def answered(answer: Answer | None) -> None:
        if answer == "save":
            assert isinstance(form, UnsavedForm)
            form.save_changes(leave_once)
        elif answer == "discard":
            leave()

    form.app.push_screen(SaveChangesDialog(), answered)


async def leave_forms(app: App[Any], then: Callable[[], Awaitable[Any] | Any],
                      other_modes: tuple[str, ...] = (), close_discarded: bool = False) -> None:
    """Before `then` (quit, language switch, section switch): for each form with unsaved
    input — in every mode's screen stack or only the current one — ask. Save saves it
    (and asks about the next), Discard drops it (`close_discarded`: the form and the
    screens above it are closed), Cancel stops: `then` is not run."""
    modes = [app.current_mode, *(m for m in other_modes if m != app.current_mode)]
    for mode in modes:
        try:
            stack = app.get_screen_stack(mode)
        except KeyError:
            continue
        for form in reversed(stack):
            if not is_dirty(form):
                continue
            if mode != app.current_mode:
                await app.switch_mode(mode)

            async def again(form: Screen[Any] = form) -> None:
                await leave_forms(app, then, other_modes, close_discarded)

            def answered(answer: Answer | None, form: Screen[Any] = form) -> None:
                if answer == "save":
                    assert isinstance(form, UnsavedForm)
                    form.save_changes(lambda: app.call_later(again))
                elif answer == "discard":
                    form.changes_discarded = True  # type: ignore[attr-defined]
                    if close_discarded:
                        while form in app.screen_stack:
                            app.pop_screen()
                    app.call_later(again)

            app.push_screen(SaveChangesDialog(), answered)
            return
    result = then()
    if result is not None:
        await result

