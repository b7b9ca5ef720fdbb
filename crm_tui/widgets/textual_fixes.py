"""Guards around Textual 8.2.8 defects that a user can trigger with ordinary keys.

Imported once by the app. Each guard keeps Textual's behaviour when it works and falls back
to a harmless equivalent when it would crash."""

from __future__ import annotations

from typing import Any

from textual.widgets import OptionList

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
