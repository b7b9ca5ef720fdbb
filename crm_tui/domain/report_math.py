"""Pure arithmetic shared by the reports: half-up rounding to one decimal, percentages and
means that are `None` over nothing, and day differences.

Everything is computed with `Decimal` from exact integer sums, so a value that lies exactly
on a rounding boundary (12.25 → 12.3) is rounded the way people expect, never the binary
float way.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext

ONE_DECIMAL = Decimal("0.1")
SECONDS_PER_DAY = 86400


def _exact_ratio(numerator: Decimal | int, denominator: Decimal | int) -> Decimal:
    """numerator / denominator with plenty of digits (more than any rounding here needs)."""
    with localcontext() as context:
        context.prec = 60
        return Decimal(numerator) / Decimal(denominator)


def round1(value: Decimal | int) -> float:
    """Round half-up to one decimal and return the float JSON prints (12.25 → 12.3)."""
    return float(Decimal(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP))


def percent(part: int, whole: int) -> float | None:
    """100 × part / whole, half-up to one decimal; `None` when `whole` is 0."""
    if not whole:
        return None
    return round1(_exact_ratio(100 * part, whole))


def mean_days(total_seconds: Decimal | int, count: int) -> float | None:
    """The mean of `count` durations summing to `total_seconds`, in days, to one decimal."""
    if not count:
        return None
    return round1(_exact_ratio(total_seconds, count * SECONDS_PER_DAY))


def seconds_between(start: datetime, end: datetime) -> int:
    """Whole seconds from `start` to `end` (negative if `end` is earlier)."""
    delta = end - start
    return delta.days * SECONDS_PER_DAY + delta.seconds
