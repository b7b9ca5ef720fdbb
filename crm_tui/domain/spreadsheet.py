"""Cells for spreadsheets: text that Excel or LibreOffice would run as a formula is guarded.

A CSV cell (or a typed-in XLSX cell) that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return is read as a formula by spreadsheet programs, so a partner named
`=HYPERLINK("http://…"&A1)` would run when a colleague opens an export (OWASP "CSV
injection"). Such text gets a leading `'` (the spreadsheets' own "this is text" mark), which
`unguard_cell` removes again on import, so export → import keeps every value.

Numbers (`-1500.00`, `1e3`) and phone numbers (`+7 495 123-45-67`) stay as they are: made only
of digits and separators, they can neither call a function nor refer to a cell.
"""

from __future__ import annotations

import re

GUARD = "'"
# The first characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = frozenset("=+-@\t\r")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_PHONE = re.compile(r"\+\d[\d ()-]*\d")
_PHONE_MIN_DIGITS = 7


def _is_number_or_phone(text: str) -> bool:
    if _NUMBER.fullmatch(text):
        return True
    return bool(_PHONE.fullmatch(text)) and sum(c.isdigit() for c in text) >= _PHONE_MIN_DIGITS


def needs_guard(text: str) -> bool:
    """True if a spreadsheet would read `text` as a formula (or `text` is already guarded
    text, whose own leading `'` must survive a round trip)."""
    bare = text.lstrip(GUARD)
    return bool(bare) and bare[0] in FORMULA_STARTS and not _is_number_or_phone(text)


def guard_cell(text: str) -> str:
    """`text` as a spreadsheet cell that is never a formula (a leading `'` when needed)."""
    return GUARD + text if needs_guard(text) else text


def unguard_cell(text: str) -> str:
    """The value `guard_cell` was given: the protective `'` removed (only that one)."""
    if text.startswith(GUARD) and needs_guard(text[1:]):
        return text[1:]
    return text
