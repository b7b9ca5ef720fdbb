"""The pure report arithmetic."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from crm_tui.domain import report_math


def test_round1_is_half_up() -> None:
    assert report_math.round1(Decimal("12.25")) == 12.3
    assert report_math.round1(Decimal("0.05")) == 0.1
    assert report_math.round1(Decimal("12.249999")) == 12.2
    assert report_math.round1(7) == 7.0


def test_percent() -> None:
    assert report_math.percent(1, 6) == 16.7
    assert report_math.percent(2, 6) == 33.3
    assert report_math.percent(1, 8) == 12.5
    assert report_math.percent(1, 16) == 6.3  # 6.25 rounds up, not to even
    assert report_math.percent(0, 3) == 0.0
    assert report_math.percent(3, 0) is None


def test_means() -> None:
    assert report_math.mean_days(108000, 1) == 1.3  # 1.25 days
    assert report_math.mean_days(0, 0) is None


def test_day_differences() -> None:
    start, end = datetime(2025, 1, 1, 0, 0), datetime(2025, 1, 2, 6, 0)
    assert report_math.seconds_between(start, end) == 108000
    assert report_math.seconds_between(end, start) == -108000
