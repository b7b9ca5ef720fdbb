"""The key bar at the bottom of every screen: the keys that work here, drawn by one widget.

Textual's Footer mounts a widget per key and mounts them all again whenever the active
bindings change (every focus change), which measured at about half of a section's open time
on this project's screens. The key bar shows the same thing — the shown bindings of the
focused widget and its ancestors, one per action, disabled ones dimmed, the command palette
key on the right — as one line of text that is only re-rendered. A click on a key presses it;
hovering a key shows its tooltip."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget

from crm_tui.i18n import N_, _

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True)
class KeySpan:
    """Where one key is drawn on the bar (cells start..end), and what it does."""

    start: int
    end: int
    key: str
    enabled: bool
    tooltip: str


class KeyBar(Widget):
    """One line of "key description" pairs for the screen's active bindings."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom; height: 1; width: 1fr;
        background: $footer-background; color: $footer-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground; background: $footer-key-background; text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground; background: $footer-description-background;
    }
    KeyBar > .key-bar--disabled { text-style: dim; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key", "key-bar--description", "key-bar--disabled",
    }

    def __init__(self, *, show_command_palette: bool = True, id: str | None = None,
                 hints: tuple[tuple[str, str], ...] = ()) -> None:
        """`hints`: (key, description) pairs shown first whatever the bindings, for keys a
        dialog's widgets handle themselves (Enter on a button or a list: apply)."""
        super().__init__(id=id)
        self.show_command_palette = show_command_palette
        self.hints = hints
        self.spans: list[KeySpan] = []
        self._shown: object = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            shown = self._entries()
            if shown != self._shown:  # a focus change often keeps the same keys: no frame
                self._shown = shown
                self.refresh()

    def _entries(self) -> tuple[list[tuple[str, str, str, bool, str]],
                                tuple[str, str, str, bool, str] | None]:
        """(key, key display, description, enabled, tooltip) of every shown binding, one per
        action in binding order; and the command palette's, shown apart."""
        active = self.screen.active_bindings
        palette_key = self.app.COMMAND_PALETTE_BINDING
        entries: list[tuple[str, str, str, bool, str]] = [
            (key, self.app.get_key_display(Binding(key, "")), description, True, description)
            for key, description in self.hints]
        seen: set[str] = set()
        hinted = {key for key, _description in self.hints}
        palette = None
        for key, (_node, binding, enabled, tooltip) in active.items():
            entry = (binding.key, self.app.get_key_display(binding), binding.description,
                     enabled, tooltip or binding.description)
            if key == palette_key:  # Textual's own binding: its words are not in our catalogs
                palette = (binding.key, entry[1], _("palette"), enabled,
                           _("Open the command palette"))
                continue
            if not binding.show or binding.action in seen or binding.key in hinted:
                continue
            seen.add(binding.action)
            entries.append(entry)
        shown_palette = (palette if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE
                         else None)
        return entries, shown_palette

    def render(self) -> Text:
        self._shown = (entries, palette) = self._entries()
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        disabled = self.get_component_rich_style("key-bar--disabled")
        text = Text(no_wrap=True, overflow="crop", end="")
        spans: list[KeySpan] = []

        def add(entry: tuple[str, str, str, bool, str], at: int) -> Text:
            key, display, description, enabled, tooltip = entry
            extra = Style() if enabled else disabled
            part = Text(end="")
            part.append(f" {display} ", key_style + extra)
            if description:
                part.append(f"{description} ", description_style + extra)
            spans.append(KeySpan(at, at + part.cell_len, key, enabled, tooltip))
            return part

        width = self.size.width
        right = add(palette, 0) if palette is not None else None
        room = width - (right.cell_len + 1 if right is not None else 0)
        for entry in entries:  # the keys that do not fit are left out whole
            part = add(entry, text.cell_len)
            if text.cell_len + part.cell_len > room:
                spans.pop()
                break
            text.append_text(part)
        if right is not None:  # the palette key stays at the right edge
            start = max(width - right.cell_len, 0)
            spans.insert(0, KeySpan(start, start + right.cell_len, *_rest(spans.pop(0))))
            text.append(" " * (start - text.cell_len))
            text.append_text(right)
        self.spans = spans
        return text

    def span_at(self, x: int) -> KeySpan | None:
        """The key drawn at column `x`, if any."""
        return next((span for span in self.spans if span.start <= x < span.end), None)

    def on_click(self, event: events.Click) -> None:
        span = self.span_at(event.x)
        if span is None:
            return
        event.stop()
        if span.enabled:
            self.app.simulate_key(span.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        span = self.span_at(event.x)
        self.tooltip = span.tooltip if span is not None and span.tooltip else None

    def get_content_width(self, container: object, viewport: object) -> int:
        entries, palette = self._entries()
        shown = [*entries, palette] if palette else entries
        return sum(cell_len(f" {display} {description} ")
                   for _key, display, description, _enabled, _tip in shown)


def _rest(span: KeySpan) -> tuple[str, bool, str]:
    return span.key, span.enabled, span.tooltip


# What a dialog shows at the bottom: how to apply, how to cancel (issue 22 §3).
DIALOG_HINTS = (("enter", N_("Apply")), ("escape", N_("Cancel")))


def dialog_key_bar() -> KeyBar:
    """The key bar of a dialog: Enter applies (its buttons and lists take Enter), Esc
    cancels, then the dialog's own shown keys."""
    return KeyBar(hints=tuple((key, _(text)) for key, text in DIALOG_HINTS))
