"""Period presets of the report panels (pure date math, relative to `domain.clock.now()`)."""

from __future__ import annotations

from datetime import date, timedelta

from crm_tui.domain.formatting import read_date
from crm_tui.i18n import N_

# Preset id -> its English title (shown through _()). "custom" keeps the typed dates.
PRESETS: tuple[tuple[str, str], ...] = (
    ("all", N_("All time")),
    ("month", N_("This month")),
    ("last_month", N_("Last month")),
    ("quarter", N_("This quarter")),
    ("year", N_("This year")),
    ("custom", N_("Custom period")),
)
PRESET_IDS = tuple(preset for preset, _title in PRESETS)


def _month_end(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def preset_period(preset: str, today: date) -> tuple[date | None, date | None]:
    """The inclusive (from, to) of `preset` around `today`; (None, None) for "all".

    Calendar periods: this month, the previous month, the current quarter, the current
    year — whole periods, so the end may lie in the future."""
    if preset == "month":
        first = today.replace(day=1)
        return first, _month_end(first)
    if preset == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if preset == "quarter":
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return first, _month_end(date(first.year, first.month + 2, 1))
    if preset == "year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    return None, None


def next_preset(preset: str) -> str:
    """The preset after `preset` (cycling through every one except "custom")."""
    cycle = [p for p in PRESET_IDS if p != "custom"]
    if preset not in cycle:
        return cycle[0]
    return cycle[(cycle.index(preset) + 1) % len(cycle)]


def parse_date(text: str) -> date | None:
    """A typed date (31.12.2027, 31.12.27 or 2027-12-31); None for an empty field.

    Raises ValueError for anything else."""
    text = text.strip()
    if not text:
        return None
    return read_date(text)
