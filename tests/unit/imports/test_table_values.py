"""Values as people type them in spreadsheets, and the header matching (ru/en, title rows)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_tui.domain.errors import ValidationError
from crm_tui.domain.table_mapping import auto_map, find_header, missing_required
from crm_tui.domain.table_values import fix_inn, parse_amount, parse_date, parse_phones

_INN_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)


def _inn10(first9: str) -> str:
    return first9 + str(sum(int(d) * w for d, w in zip(first9, _INN_WEIGHTS, strict=True))
                        % 11 % 10)


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2))
def test_amount_with_spaces_and_a_decimal_comma(amount: Decimal) -> None:
    typed = f"{amount:,.2f}".replace(",", " ").replace(".", ",")  # "1 500 000,50"
    assert parse_amount(typed) == amount
    assert parse_amount(f"{typed} руб.") == amount
    assert parse_amount(f"{amount:.2f}") == amount


@pytest.mark.parametrize("text", ["1 500 000,50", "1\u00a0500\u00a0000,50", "1500000.50",
                                  "1 500 000,50 ₽"])
def test_amount_examples(text: str) -> None:
    assert parse_amount(text) == Decimal("1500000.50")


@pytest.mark.parametrize("text", ["много", "12.345.678", "-5"])
def test_not_an_amount(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_amount(text)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)))
def test_dates_as_typed_in_russia_and_iso(day: date) -> None:
    assert parse_date(day.strftime("%d.%m.%Y")) == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d.%m.%Y") + " 0:00:00") == day


def test_not_a_date() -> None:
    with pytest.raises(ValidationError, match=r"31\.12\.2026"):
        parse_date("32.12.2026")


@given(st.from_regex(r"[1-9][0-9]{8}", fullmatch=True))
def test_an_inn_that_lost_its_leading_zero_is_repaired(digits: str) -> None:
    inn = _inn10("0" + digits[:8])
    fixed, note = fix_inn(inn[1:])  # Excel read "0278123453" as the number 278123453
    assert fixed == inn and note is not None and inn in note
    assert fix_inn(inn) == (inn, None)


def test_a_wrong_inn_is_not_repaired() -> None:
    with pytest.raises(ValidationError):
        fix_inn("123456789")  # no check digit fits with a zero in front either
    assert fix_inn(" 7707 083893 ") == ("7707083893", None)


@given(st.from_regex(r"916[0-9]{7}", fullmatch=True),
       st.sampled_from(["+7 {a} {b}-{c}-{d}", "8 ({a}) {b}-{c}-{d}", "8{a}{b}{c}{d}",
                        "+7({a}){b}{c}{d}", "7 {a} {b} {c} {d}", "8-{a}-{b}-{c}-{d}"]))
def test_phones_in_any_russian_notation(digits: str, form: str) -> None:
    typed = form.format(a=digits[:3], b=digits[3:6], c=digits[6:8], d=digits[8:])
    assert parse_phones(typed) == ("+7" + digits,)


def test_several_phones_in_a_cell() -> None:
    assert parse_phones("8 (495) 123-45-67, +7 916 000-00-01") == (
        "+74951234567", "+79160000001")


def test_headers_russian_english_and_1c() -> None:
    assert auto_map("partners", ["Наименование", "ИНН", "КПП", "Тел.", "Адрес",
                                 "Контактное лицо", "Менеджер", "Что-то ещё"]) == [
        "name", "inn", "kpp", "phone", "address", "contact", "manager", None]
    assert auto_map("partners", ["Partner", "INN", "Phone", "E-mail"]) == [
        "name", "inn", "phone", "email"]
    assert auto_map("partners", ["Контрагент", "Контрагент"]) == ["name", None]
    # In a deals file the «Контрагент» is the partner and «Наименование» the deal.
    assert auto_map("deals", ["Наименование", "Контрагент", "Сумма", "Дата"]) == [
        "name", "partner", "amount", "date"]


def test_the_header_row_is_found_below_a_title() -> None:
    rows = [["Список контрагентов", ""], ["", ""], ["Наименование", "ИНН"], ["Ромашка", "1"]]
    assert find_header("partners", rows) == 2
    assert find_header("partners", [["a", "b"], ["c", "d"]]) == 0


def test_required_fields() -> None:
    assert missing_required("partners", ["inn"]) == ["name"]
    assert missing_required("deals", ["name", "inn"]) == []
    assert missing_required("contacts", ["name"]) == ["partner"]
