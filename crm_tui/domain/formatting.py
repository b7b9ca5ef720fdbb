"""Numbers, money and dates as people read and type them, by the interface language.

The one place that turns stored values into display text (widgets, screens, reports and the
command line's tables call it) and reads dates typed in forms. Russian follows 1C and Russian
spreadsheets: `1 500 000,50` (non-breaking spaces), `03.12.2026 10:00`; English keeps the
app's own forms: `1,500,000.50`, `2026-12-03 10:00`. Babel knows the locales' symbols, so
none are written out here; it is imported on first use (the command line's `--help` and the
first frame do not pay for it).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from crm_tui.i18n import current_language

CENTS = Decimal("0.01")
_MONEY_PATTERN = "#,##0.00"
_COUNT_PATTERN = "#,##0"
# Babel (CLDR) patterns. English keeps ISO dates, which the app always showed in English.
_DATE = {"ru": "dd.MM.yyyy", "en": "yyyy-MM-dd"}
_TIME = "HH:mm"
# What a date field accepts, whatever the language: 31.12.2027, 31.12.27, 2027-12-31.
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def _locale() -> str:
    return current_language()


def show_money(amount: Decimal) -> str:
    """Money on screen: grouped, two decimals, in the interface language's symbols."""
    from babel.numbers import format_decimal  # late: see the module's docstring

    exact = amount.quantize(CENTS, rounding=ROUND_HALF_UP)
    return str(format_decimal(exact, format=_MONEY_PATTERN, locale=_locale(),
                              decimal_quantization=False))


def show_count(count: int) -> str:
    """A whole number on screen, grouped as the language groups digits."""
    from babel.numbers import format_decimal

    return str(format_decimal(count, format=_COUNT_PATTERN, locale=_locale()))


def show_date(day: date | None, empty: str = "") -> str:
    """A date on screen: 03.12.2026 in Russian, 2026-12-03 in English."""
    if day is None:
        return empty
    from babel.dates import format_date

    return str(format_date(day, _DATE.get(_locale(), _DATE["en"]), locale=_locale()))


def show_moment(moment: datetime | None, empty: str = "", seconds: bool = False) -> str:
    """A timestamp on screen: 03.12.2026 10:00 in Russian, 2026-12-03 10:00 in English."""
    if moment is None:
        return empty
    from babel.dates import format_datetime

    pattern = f"{_DATE.get(_locale(), _DATE['en'])} {_TIME}{':ss' if seconds else ''}"
    return str(format_datetime(moment, pattern, locale=_locale()))


def date_hint() -> str:
    """How a date field's placeholder spells the date it expects."""
    from crm_tui.i18n import _

    return _("DD.MM.YYYY") if _locale() == "ru" else "YYYY-MM-DD"


def moment_hint() -> str:
    """How a timestamp field's placeholder spells what it expects."""
    from crm_tui.i18n import _

    return _("DD.MM.YYYY HH:MM") if _locale() == "ru" else "YYYY-MM-DD HH:MM"


def read_date(text: str) -> date:
    """A typed date: 31.12.2027, 31.12.27 (this century) or ISO 2027-12-31.

    Raises ValueError for anything else (the caller words the message for its field)."""
    value = text.strip()
    dotted = _DOTTED.fullmatch(value)
    if dotted:
        day, month, year = (int(part) for part in dotted.groups())
        if len(dotted.group(3)) == 2:
            year += 2000
        return date(year, month, day)
    if _ISO.fullmatch(value):
        return date.fromisoformat(value)
    raise ValueError(value)


def read_moment(text: str) -> datetime:
    """A typed timestamp: a date as `read_date` takes it, then an optional HH:MM[:SS]; ISO
    with a `T` too. Raises ValueError for anything else."""
    value = text.strip()
    if "T" in value:
        value = value.replace("T", " ", 1)
    day_text, _space, clock_text = value.partition(" ")
    day = read_date(day_text)
    clock_text = clock_text.strip()
    if not clock_text:
        return datetime(day.year, day.month, day.day)
    clock = _CLOCK.fullmatch(clock_text)
    if clock is None:
        raise ValueError(text)
    hour, minute = int(clock.group(1)), int(clock.group(2))
    second = int(clock.group(3) or 0)
    return datetime(day.year, day.month, day.day, hour, minute, second)


def show_tenths(value: float | Decimal) -> str:
    """A percentage or a count of days to one decimal (12,5 in Russian, 12.5 in English)."""
    from babel.numbers import format_decimal

    exact = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return str(format_decimal(exact, format="0.0", locale=_locale(), decimal_quantization=False))


def show_month(day: date) -> str:
    """A month and year as a title: «декабрь 2026» in Russian, 2026-12 in English."""
    if _locale() != "ru":
        return f"{day:%Y-%m}"
    from babel.dates import format_date

    return str(format_date(day, "LLLL yyyy", locale="ru"))
