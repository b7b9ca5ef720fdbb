"""Guards around Textual 8.2.8 defects that a user can trigger with ordinary keys, and one
costly behaviour worked around.

Imported once by the app. Each guard keeps Textual's behaviour when it works and falls back
to a harmless equivalent when it would crash."""

from __future__ import annotations

from typing import Any

from textual.geometry import Size
from textual.widgets import Input, OptionList

_original_move_page = OptionList._move_page


def _safe_move_page(self: Any, direction: Any) -> None:
    """Page up/down right after a Select's dropdown opens can look up lines that are not
    laid out yet (KeyError in OptionList._move_page); move to the first/last option then."""
    try:
        _original_move_page(self, direction)
    except (KeyError, IndexError):
        if direction > 0:
            self.action_last()
        else:
            self.action_first()


OptionList._move_page = _safe_move_page  # type: ignore[method-assign]


_original_watch_value = Input._watch_value


def _watch_value_without_layout(self: Any, value: str) -> None:
    """Every keystroke in an Input sets its virtual size (the text's width), a reactive that
    asks for a layout of the whole screen and so redraws all of it: 7 ms of a partner search
    keystroke's 15. An input is one line whose text scrolls inside it; its new virtual size
    (set here, before Textual's own handler, which then finds it unchanged) only needs the
    input repainted. An input sized by its content still gets its layout from Textual."""
    self.set_reactive(Input.virtual_size, Size(self.content_width, 1))
    _original_watch_value(self, value)
    self.refresh()


Input._watch_value = _watch_value_without_layout  # type: ignore[method-assign]
