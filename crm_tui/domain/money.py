"""Money: exact decimals with two fraction digits, stored as integer minor units."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from crm_tui.domain.errors import ValidationError
from crm_tui.i18n import _, current_language

CENTS = Decimal("0.01")
# ASCII digits only (\d would take "١٢٣" or full-width digits); more than 16 whole digits
# are refused as too large.
_EXCHANGE_MONEY = re.compile(r"-?([0-9]+)(\.[0-9]{1,2})?")
_WHOLE_DIGITS = 16
# The largest amount that still fits a signed 64-bit count of kopecks, with room to sum.
MAX_AMOUNT = Decimal("999999999999999.99")


def parse_exchange_money(value: object) -> Decimal:
    """Parse money as the exchange format writes it: a string like "150000.00" or "99.5"."""
    if not isinstance(value, str):
        raise ValidationError(_("money must be a string such as \"150000.00\""))
    match = _EXCHANGE_MONEY.fullmatch(value)
    if match is None:
        if any(c.isdigit() and not c.isascii() for c in value):
            raise ValidationError(_("money must be written with the digits 0-9: {value}")
                                  .format(value=value))
        raise ValidationError(
            _("not a money amount with at most 2 fraction digits: {value}").format(value=value)
        )
    if len(match.group(1)) > _WHOLE_DIGITS:
        raise ValidationError(_("amount is too large: {value}").format(value=value[:40]))
    amount = Decimal(value)
    if abs(amount) > MAX_AMOUNT:
        raise ValidationError(_("amount is too large: {value}").format(value=value))
    return amount


def parse_user_money(text: str) -> Decimal:
    """Parse money typed by a person: spaces or non-breaking spaces as thousands separators,
    a comma or a dot as the decimal separator, at most 2 fraction digits, not negative."""
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    cleaned = cleaned.replace("_", "")
    if (cleaned.count(",") == 1 and "." not in cleaned
            and not (current_language() == "en" and re.fullmatch(r"\d{1,3},\d{3}", cleaned))):
        # "1500,50": the Russian decimal comma (English reads "1,500" as fifteen hundred).
        cleaned = cleaned.replace(",", ".")
    elif "," in cleaned:
        # "1,234,567.89": commas as thousands separators.
        cleaned = cleaned.replace(",", "")
    if not cleaned:
        raise ValidationError(_("enter an amount"))
    if not re.fullmatch(r"\d+(\.\d{1,2})?", cleaned):
        raise ValidationError(_("not an amount: use digits and at most 2 decimals"))
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as error:  # pragma: no cover - the regex already guards this
        raise ValidationError(_("not an amount: use digits and at most 2 decimals")) from error
    if amount > MAX_AMOUNT:
        raise ValidationError(_("amount is too large: {value}").format(value=text.strip()))
    return amount


def to_minor(amount: Decimal) -> int:
    """Decimal roubles to integer kopecks (exact; more than 2 decimals is an error)."""
    quantized = amount.quantize(CENTS, rounding=ROUND_HALF_UP)
    if quantized != amount:
        raise ValidationError(_("at most 2 fraction digits are allowed"))
    return int(quantized * 100)


def from_minor(minor: int) -> Decimal:
    """Integer kopecks to Decimal roubles with exactly two fraction digits."""
    return (Decimal(minor) / 100).quantize(CENTS)


def format_exchange(amount: Decimal) -> str:
    """The exchange and report form: plain digits, a dot, exactly 2 fraction digits."""
    return f"{amount.quantize(CENTS, rounding=ROUND_HALF_UP):f}"
