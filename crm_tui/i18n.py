"""Translations through gettext.

Source strings are English. Catalogs live as one `.po` file per area under
`crm_tui/locale/<lang>/` (so people working on different areas never edit the same file)
and are merged into `crm_tui/locale/<lang>/LC_MESSAGES/crm_tui.mo` by
`python scripts/compile_catalogs.py`; a test checks that the `.mo` files are current and
that every string in the code is translated in both languages.
"""

from __future__ import annotations

import gettext
import locale
import os
from pathlib import Path

LANGUAGES = ("en", "ru")
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "crm_tui"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def detect_language() -> str:
    """The language from the environment's locale, falling back to English."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable, "")
        if value:
            return "ru" if value.lower().startswith("ru") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "ru" if code.lower().startswith("ru") else "en"


def set_language(language: str) -> None:
    """Switch every later `_()` call to `language` ("ru" or "en")."""
    global _translation, _language
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language: {language}")
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
    _language = language


def current_language() -> str:
    """The language `_()` translates into now."""
    return _language


def _(message: str) -> str:
    """Translate `message` into the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a message that depends on a count."""
    return _translation.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark `message` for extraction without translating it now (translate where shown)."""
    return message
