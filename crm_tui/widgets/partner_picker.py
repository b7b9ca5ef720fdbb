"""PartnerPicker: pick a partner by typing part of its name, INN, phone or e-mail.

The input searches as you type (in a thread worker, through its source) and shows up to
eight suggestions under it; Down moves into them, Enter picks one. `.partner_key` is the
chosen partner; every change posts `PartnerPicker.Changed(partner_key, name)`.

The widget does not know the store: the screen passes a `PartnerSource` (the store's
`PartnerLookup` is the real one), whose blocking calls run in the picker's thread workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from crm_tui.domain.text import safe_display
from crm_tui.i18n import _

SUGGESTIONS = 8


class Suggestion(Protocol):
    """One partner the search found."""

    @property
    def key(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def inn(self) -> str: ...
    @property
    def region(self) -> str: ...


class PartnerSource(Protocol):
    """Where the picker looks partners up; both calls block (the picker runs them in
    thread workers, never on the event loop)."""

    def search(self, text: str, limit: int) -> Sequence[Suggestion]:
        """Up to `limit` partners matching `text` (name, INN, phone or e-mail)."""
        ...

    def name(self, key: str) -> str | None:
        """The name of partner `key`, or None."""
        ...


def suggestion_label(hit: Suggestion) -> Text:
    """A suggestion as shown: name, then INN, key and region, so that look-alikes (two
    "Ромашка" in different regions) can be told apart."""
    label = Text(safe_display(hit.name))
    for part, style in ((hit.inn, "dim"), (hit.key, "bold"), (hit.region, "dim italic")):
        if part:
            label.append("  ")
            label.append(safe_display(part), style=style)
    return label


class PartnerPicker(Vertical):
    """Search-as-you-type partner field."""

    DEFAULT_CSS = """
    PartnerPicker { height: auto; }
    PartnerPicker > OptionList { height: auto; max-height: 8; display: none; }
    PartnerPicker.-open > OptionList { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "suggestions", show=False),
        Binding("escape", "close", show=False),
    ]

    class Changed(Message):
        """The chosen partner changed (partner_key None: cleared)."""

        def __init__(self, picker: PartnerPicker, partner_key: str | None, name: str) -> None:
            super().__init__()
            self.picker = picker
            self.partner_key = partner_key
            self.name = name

        @property
        def control(self) -> PartnerPicker:
            return self.picker

    def __init__(self, value: str | None = None, *, source: PartnerSource,
                 id: str | None = None, placeholder: str | None = None) -> None:
        super().__init__(id=id)
        self.partner_key: str | None = value
        self.partner_name = ""
        self.source = source
        self._hits: Sequence[Suggestion] = []
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self._placeholder or _("Partner: name, INN, phone or e-mail"),
                    id="partner-picker-input")
        # The suggestions list is mounted with the first suggestions: a screen that shows a
        # picker (say, as a list filter) does not pay for it when it opens.

    def _options(self) -> OptionList:
        found = self.query(OptionList)
        if found:
            return found.first()
        options = OptionList(id="partner-picker-options")
        self.mount(options)
        return options

    def on_mount(self) -> None:
        if self.partner_key:
            self._load_name(self.partner_key)

    @work(thread=True, exclusive=True, group="partner-picker-name")
    def _load_name(self, key: str) -> None:
        name = self.source.name(key)
        if name is not None:
            self.app.call_from_thread(self._show_text, name)

    def _show_text(self, name: str) -> None:
        self.partner_name = name
        self.query_one(Input).value = safe_display(name)

    @on(Input.Changed, "#partner-picker-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self.partner_key is not None and event.value == safe_display(self.partner_name):
            return  # our own update after a pick
        if self.partner_key is not None:
            self.partner_key = None
            self.partner_name = ""
            self.post_message(self.Changed(self, None, ""))
        self._search(event.value)

    @work(thread=True, exclusive=True, group="partner-picker-search")
    def _search(self, value: str) -> None:
        hits = self.source.search(value, SUGGESTIONS)
        self.app.call_from_thread(self._show_hits, value, hits)

    def _show_hits(self, value: str, hits: Sequence[Suggestion]) -> None:
        if self.query_one(Input).value != value:
            return  # a newer keystroke is on its way
        self._hits = hits
        if not hits and not self.query(OptionList):
            return
        options = self._options()
        options.clear_options()
        for hit in hits:
            options.add_option(Option(suggestion_label(hit), id=hit.key))
        self.set_class(bool(hits) and bool(value.strip()), "-open")

    def action_suggestions(self) -> None:
        if self.has_class("-open"):
            options = self.query_one(OptionList)
            if options.highlighted is None:
                options.highlighted = 0
            options.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Down and Esc belong to the suggestions only while they are shown, so the
        screen's own Esc (back) still works otherwise."""
        if action in ("close", "suggestions"):
            return self.has_class("-open")
        return True

    def action_close(self) -> None:
        self.remove_class("-open")
        self.query_one(Input).focus()

    @on(OptionList.OptionSelected, "#partner-picker-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = event.option.id
        hit = next((h for h in self._hits if h.key == key), None)
        if hit is None:
            return
        self.choose(hit.key, hit.name)
        self.query_one(Input).focus()

    @on(Input.Submitted, "#partner-picker-input")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.partner_key is None and self._hits and self.has_class("-open"):
            event.stop()
            self.choose(self._hits[0].key, self._hits[0].name)

    def choose(self, key: str, name: str) -> None:
        """Set the partner (as if picked) and post Changed."""
        self.partner_key = key
        self.remove_class("-open")
        self._show_text(name)
        self.post_message(self.Changed(self, key, name))
