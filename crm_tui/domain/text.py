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


# What a terminal must never receive raw: C0 controls but tab and line feed, DEL, C1
# controls, lone surrogates (they cannot even be encoded), and the bidi/zero-width marks.
_TERMINAL_UNSAFE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """Text fit to reach a terminal as a message: every control character (but tab and line
    feed) shown escaped as Python writes it (`\\x1b`, `\\u202e`), so an escape sequence from a
    file or a shared database is seen, not obeyed (CR LF becomes a line feed)."""
    text = text.replace("\r\n", "\n") if "\r\n" in text else text
    return _TERMINAL_UNSAFE.sub(_escape, text)


def normalise_search(text: str) -> str:
    """Fold text for searching: case-insensitive for Cyrillic and Latin, ё→е."""
    return text.casefold().replace("ё", "е")
