"""Values in spreadsheets as people type them: phones in any Russian notation, amounts with
spaces and a decimal comma, dates as 31.12.2026, and an INN that lost its leading zero when
Excel took it for a number (a 1C list saved as xlsx and opened again).

Written here for `crm import-table` until the shared ru money/date module exists; they use
the domain's own checks (`money.parse_user_money`, `partners.normalise_phone`,
`identifiers.validate_inn`) for everything but the spelling."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from crm_tui.domain.errors import ValidationError
from crm_tui.domain.identifiers import validate_inn
from crm_tui.domain.money import parse_user_money
from crm_tui.domain.partners import normalise_phone
from crm_tui.i18n import _

# A currency mark after (or before) an amount: "1 500 000,50 руб.", "₽ 100", "100 RUB".
_CURRENCY = re.compile(r"^\s*(₽|руб\.?|р\.|rub)?\s*(.*?)\s*(₽|руб(лей|ля|ль)?\.?|р\.|rub)?\s*$",
                       re.IGNORECASE)
_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
# Several phones in one cell: "+7 495 123-45-67, 8 916 000-00-00".
_PHONE_SEPARATORS = re.compile(r"[;,/]|\s{2,}")


def parse_amount(text: str) -> Decimal:
    """An amount as typed: "1 500 000,50", "1500000.50", "1 500 000,50 руб."."""
    match = _CURRENCY.match(text)
    return parse_user_money(match.group(2) if match else text)


def parse_date(text: str) -> date:
    """A date as typed in Russia (31.12.2026, 31.12.26) or written by a program
    (2026-12-31, with or without a time after it)."""
    value = text.strip()
    head = value.split(" ")[0].split("T")[0]
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(head, form).date()
        except ValueError:
            continue
    raise ValidationError(_("not a date (use 31.12.2026): {value}").format(value=value))


def parse_phones(text: str) -> tuple[str, ...]:
    """Every phone in a cell, in E.164 ("8 (495) 123-45-67" → "+74951234567")."""
    parts = [p.strip() for p in _PHONE_SEPARATORS.split(text) if p.strip()]
    return tuple(dict.fromkeys(normalise_phone(p) for p in parts))


def fix_inn(text: str) -> tuple[str, str | None]:
    """The INN and a note when it had to be repaired: spaces dropped, and a 9- or 11-digit
    INN whose check digits are right with a leading zero gets that zero back (Excel drops
    it from a number). Raises ValidationError for anything else that is not an INN."""
    value = re.sub(r"[\s\u00a0]", "", text)
    if value.isdigit() and len(value) in (9, 11):
        try:
            fixed = validate_inn("0" + value)
        except ValidationError:
            pass
        else:
            return fixed, _("INN {value} lost its leading zero: read as {fixed}").format(
                value=value, fixed=fixed)
    return validate_inn(value), None


def fix_kpp(text: str) -> str:
    """A KPP as Excel may leave it: an 8-digit number is a KPP that lost its leading zero."""
    value = re.sub(r"[\s\u00a0]", "", text).upper()
    return "0" + value if value.isdigit() and len(value) == 8 else value
