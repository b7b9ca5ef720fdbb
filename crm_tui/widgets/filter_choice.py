"""A filter field: "Any region ▾" on one line; Enter, space or a click opens the choices.

A list screen's filters are Textual Selects no more: a Select is six widgets (with its
dropdown list mounted from the start), and four of them took about half of the partner
list's opening time. A FilterChoice is one widget; its list is a small dialog built only
when opened. It speaks the Select's language where the screens use it: `value` (Select.NULL
when nothing is chosen), `set_options`, `clear`, and a `Changed` message with `select` and
`value`."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any, ClassVar

from rich.cells import set_cell_size
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList, Select
from textual.widgets.option_list import Option

from crm_tui.domain.text import safe_display
from crm_tui.widgets.key_bar import dialog_key_bar

NULL: Any = Select.NULL

OptionPrompt = str | Text


class ChoiceMenu(ModalScreen[Hashable | None]):
    """The choices of a FilterChoice; dismissed with the chosen value (None: cancelled)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]
    DEFAULT_CSS = """
    ChoiceMenu { align: center middle; }
    ChoiceMenu > OptionList { width: auto; min-width: 30; max-width: 70; height: auto;
                              max-height: 80%; border: round $accent; }
    """

    def __init__(self, title: str, options: Sequence[tuple[Text, Hashable]],
                 current: Hashable) -> None:
        super().__init__()
        self.title_text, self.options, self.current = title, options, current

    def compose(self) -> ComposeResult:
        menu = OptionList(*(Option(prompt, id=str(index))
                            for index, (prompt, _value) in enumerate(self.options)))
        menu.border_title = self.title_text
        yield menu
        yield dialog_key_bar()

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        values = [value for _prompt, value in self.options]
        menu.highlighted = values.index(self.current) if self.current in values else 0
        menu.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.options[int(event.option.id or 0)][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class FilterChoice(Widget, can_focus=True):
    """One value out of a few, or none ("Any …"): a list screen's filter field."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space,down", "open", show=False),
    ]
    DEFAULT_CSS = """
    FilterChoice {
        height: 3; width: 1fr; padding: 0 1; border: tall $border-blurred;
        background: $surface; color: $foreground;
    }
    FilterChoice:focus { border: tall $border; background-tint: $foreground 5%; }
    FilterChoice.-blank { color: $text-muted; }
    """

    NULL: ClassVar[Any] = NULL

    class Changed(Message):
        """The chosen value changed (Select.NULL: none)."""

        def __init__(self, choice: FilterChoice, value: Any) -> None:
            super().__init__()
            self.select = choice
            self.value = value

        @property
        def control(self) -> FilterChoice:
            return self.select

    def __init__(self, options: Iterable[tuple[OptionPrompt, Hashable]] = (), *,
                 prompt: str = "", allow_blank: bool = True, value: Any = NULL,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.prompt = prompt
        self.allow_blank = allow_blank
        self._options: list[tuple[Text, Hashable]] = []
        self._value: Any = NULL
        self._set_options(options)
        if value is not NULL:
            self._value = value
        elif not allow_blank and self._options:
            self._value = self._options[0][1]
        self.set_class(self._value is NULL, "-blank")

    # ----------------------------------------------------------------- value
    @property
    def value(self) -> Any:
        return self._value

    @value.setter
    def value(self, value: Any) -> None:
        if value == self._value:
            return
        self._value = value
        self.set_class(value is NULL, "-blank")
        self.refresh()
        self.post_message(self.Changed(self, value))

    @property
    def option_count(self) -> int:
        """How many choices there are ("Any …" aside)."""
        return len(self._options)

    def clear(self) -> None:
        """Choose nothing ("Any …")."""
        self.value = NULL

    def _set_options(self, options: Iterable[tuple[OptionPrompt, Hashable]]) -> None:
        self._options = [(prompt if isinstance(prompt, Text) else Text(safe_display(prompt)),
                          value) for prompt, value in options]

    def set_options(self, options: Iterable[tuple[OptionPrompt, Hashable]]) -> None:
        """New choices; the chosen value is kept when it is still one of them."""
        shown = self._label()
        self._set_options(options)
        values = [value for _prompt, value in self._options]
        if self._value is not NULL and self._value not in values:
            self.value = values[0] if values and not self.allow_blank else NULL
        if self._label() != shown:  # often it is still "Any …": no need for a frame
            self.refresh()

    # ------------------------------------------------------------- drawing
    def _label(self) -> Text:
        for prompt, value in self._options:
            if value == self._value:
                return prompt
        return Text(self.prompt)

    def render(self) -> Text:
        width = max(self.size.width, 2)
        label = self._label().plain
        return Text(set_cell_size(safe_display(label), width - 2) + " ▾", no_wrap=True)

    # ------------------------------------------------------------- choosing
    def action_open(self) -> None:
        choices = ([(Text(self.prompt), NULL)] if self.allow_blank else []) + self._options

        def chosen(value: Hashable | None) -> None:
            if value is not None:
                self.value = value

        self.app.push_screen(ChoiceMenu(self.prompt, choices, self._value), chosen)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        self.action_open()
