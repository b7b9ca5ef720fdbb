"""User text safety: control characters are refused on input and stripped on display."""

from __future__ import annotations

import re

from crm_tui.domain.errors import ValidationError
from crm_tui.i18n import _

# C0 controls except tab and line feed, DEL, and C1 controls.
_CONTROL_NO_NEWLINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_CONTROL_WITH_NEWLINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Characters that change how a terminal lays out text without being C0/C1 controls.
_BIDI_AND_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def find_control_character(text: str, multiline: bool = False) -> int | None:
    """Position of the first forbidden control character, or None.

    Tab is always allowed; line feed only in long texts (`multiline=True`)."""
    pattern = _CONTROL_WITH_NEWLINE if multiline else _CONTROL_NO_NEWLINE
    match = pattern.search(text)
    return match.start() if match else None


def check_text(text: str, field: str, multiline: bool = False) -> str:
    """Return `text` if it holds no forbidden control character, else raise ValidationError."""
    position = find_control_character(text, multiline)
    if position is not None:
        code = ord(text[position])
        raise ValidationError(
            _("{field}: control character U+{code:04X} at position {position} is not allowed")
            .format(field=field, code=code, position=position + 1),
            field=field,
        )
    return text


def safe_display(text: str) -> str:
    """Text fit to reach a terminal: every control character becomes a visible placeholder,
    so an escape sequence stored in a name can never act on the terminal."""
    text = _ANY_CONTROL.sub("\ufffd", text.replace("\t", " ").replace("\n", " "))
    return _BIDI_AND_ZERO_WIDTH.sub("", text)


def normalise_search(text: str) -> str:
    """Fold text for searching: case-insensitive for Cyrillic and Latin, ё→е."""
    return text.casefold().replace("ё", "е")
