"""Money: exact decimals, integer minor units, strict exchange form, forgiving user form."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_tui.domain.errors import ValidationError
from crm_tui.domain.money import (
    MAX_AMOUNT,
    format_exchange,
    from_minor,
    parse_exchange_money,
    parse_user_money,
    to_minor,
)

amounts = st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2, allow_nan=False,
                      allow_infinity=False)


@pytest.mark.parametrize("text, expected", [
    ("150000.00", Decimal("150000.00")), ("99.5", Decimal("99.5")), ("0", Decimal(0)),
])
def test_exchange_money_accepts_strings(text: str, expected: Decimal) -> None:
    assert parse_exchange_money(text) == expected


@pytest.mark.parametrize("value", [150000, 1.5, "1.234", "1,5", " 1", "1e5", "", None, "--1"])
def test_exchange_money_rejects_other_forms(value: object) -> None:
    with pytest.raises(ValidationError):
        parse_exchange_money(value)


@pytest.mark.parametrize("text, expected", [
    ("1 234 567,89", Decimal("1234567.89")), ("1\u00a0234.5", Decimal("1234.5")),
    ("1,234,567.89", Decimal("1234567.89")), ("12", Decimal(12)),
])
def test_user_money_accepts_separators(text: str, expected: Decimal) -> None:
    assert parse_user_money(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "-5", "1.234", "1..2"])
def test_user_money_rejects_garbage(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_user_money(text)


@given(amounts)
def test_minor_units_round_trip_exactly(amount: Decimal) -> None:
    assert from_minor(to_minor(amount)) == amount
    assert parse_exchange_money(format_exchange(amount)) == amount


@given(st.text(max_size=40))
def test_user_money_never_crashes(text: str) -> None:
    with contextlib.suppress(ValidationError):
        parse_user_money(text)


def test_big_amounts_keep_every_kopeck() -> None:
    amount = Decimal("999999999999999.99")
    assert to_minor(amount) == 99999999999999999
    assert format_exchange(from_minor(to_minor(amount))) == "999999999999999.99"
