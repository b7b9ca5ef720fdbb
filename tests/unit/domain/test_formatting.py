"""Money and dates as people read and type them, by the interface language (issue 22 §4)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_tui.domain.agreements import parse_day as agreement_day
from crm_tui.domain.claims import parse_day as claim_day
from crm_tui.domain.claims import parse_moment
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.formatting import (
    read_date,
    read_moment,
    show_count,
    show_date,
    show_moment,
    show_money,
    show_month,
    show_tenths,
)
from crm_tui.domain.money import MAX_AMOUNT, parse_user_money
from crm_tui.i18n import set_language

NBSP = "\u00a0"
amounts = st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2, allow_nan=False,
                      allow_infinity=False)


@pytest.fixture
def russian() -> Iterator[None]:
    set_language("ru")
    yield
    set_language("en")


@pytest.mark.usefixtures("russian")
def test_russian_money_has_a_decimal_comma_and_nbsp_groups() -> None:
    assert show_money(Decimal("1500000.5")) == f"1{NBSP}500{NBSP}000,50"
    assert show_money(Decimal("0.005")) == "0,01"  # half up, as the reports round
    assert show_count(1234567) == f"1{NBSP}234{NBSP}567"
    assert show_tenths(12.25) == "12,3"


def test_english_money_keeps_english_conventions() -> None:
    assert show_money(Decimal("1500000.5")) == "1,500,000.50"
    assert show_tenths(Decimal("12.25")) == "12.3"


@pytest.mark.usefixtures("russian")
@pytest.mark.parametrize("text", [f"1{NBSP}500{NBSP}000,50", "1 500 000,50", "1500000.50",
                                  "1500000,50", "1 500 000.50"])
def test_russian_money_input_accepts_every_usual_form(text: str) -> None:
    assert parse_user_money(text) == Decimal("1500000.50")
    assert parse_user_money("1 500 000") == Decimal("1500000")


def test_english_reads_a_comma_before_three_digits_as_thousands() -> None:
    assert parse_user_money("1,500") == Decimal("1500")
    assert parse_user_money("1,500,000.50") == Decimal("1500000.50")


@pytest.mark.parametrize("language", ["ru", "en"])
@given(amount=amounts)
def test_money_shown_reads_back_as_the_same_amount(language: str, amount: Decimal) -> None:
    set_language(language)
    try:
        assert parse_user_money(show_money(amount)) == amount
    finally:
        set_language("en")


@pytest.mark.usefixtures("russian")
def test_russian_dates() -> None:
    assert show_date(date(2026, 12, 3)) == "03.12.2026"
    assert show_moment(datetime(2026, 12, 3, 10, 0)) == "03.12.2026 10:00"
    assert show_moment(datetime(2026, 12, 3, 10, 0, 7), seconds=True) == "03.12.2026 10:00:07"
    assert show_month(date(2026, 12, 1)) == "декабрь 2026"
    assert show_date(None, "…") == "…"


def test_english_dates_stay_iso() -> None:
    assert show_date(date(2026, 12, 3)) == "2026-12-03"
    assert show_moment(datetime(2026, 12, 3, 10, 0)) == "2026-12-03 10:00"


@pytest.mark.parametrize("text", ["31.12.2027", "31.12.27", "2027-12-31", " 31.12.2027 "])
def test_every_date_field_reads_dotted_short_and_iso(text: str) -> None:
    assert read_date(text) == date(2027, 12, 31)
    assert agreement_day(text, "valid_to") == date(2027, 12, 31)
    assert claim_day(text, "due") == date(2027, 12, 31)


@pytest.mark.parametrize("text", ["31.12.2027 10:00", "31.12.27 10:00", "2027-12-31 10:00",
                                  "2027-12-31T10:00"])
def test_timestamps_read_dotted_short_and_iso(text: str) -> None:
    assert read_moment(text) == datetime(2027, 12, 31, 10, 0)
    assert parse_moment(text, "registered_at") == datetime(2027, 12, 31, 10, 0)


@pytest.mark.parametrize("text", ["31122027", "32.12.2027", "31.12.2027 25:00", "2027/12/31",
                                  "31.12", ""])
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        read_moment(text)
    if text:
        with pytest.raises(ValidationError):
            agreement_day(text, "valid_to")


@pytest.mark.parametrize("language", ["ru", "en"])
@given(moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)))
def test_dates_shown_read_back(language: str, moment: datetime) -> None:
    set_language(language)
    try:
        minute = moment.replace(second=0, microsecond=0)
        assert read_moment(show_moment(minute)) == minute
        assert read_date(show_date(moment.date())) == moment.date()
    finally:
        set_language("en")
