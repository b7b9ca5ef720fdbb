"""The importer's phone check: which of phonenumbers' calls a number costs (import speed).

The answers themselves are compared with the general parser in
tests/unit/perf/test_phone_shortcut.py; these tests pin that the cheap path is taken."""

from __future__ import annotations

from typing import Any

import phonenumbers
import pytest

from crm_tui.exchange import values


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts of phonenumbers.parse and phonenumbers.is_valid_number, as values.py calls them."""
    counted = {"parse": 0, "is_valid_number": 0}

    def counting(name: str) -> Any:
        original = getattr(phonenumbers, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counted[name] += 1
            return original(*args, **kwargs)
        return wrapper

    for name in counted:
        monkeypatch.setattr(values.phonenumbers, name, counting(name))
    return counted


@pytest.mark.parametrize("value", ["+7 812 316-81-77", "8 (812) 316-81-77", "+78436566566",
                                   "8 800 555-35-35"])
def test_a_number_starting_with_8_skips_the_general_parser(
        calls: dict[str, int], value: str) -> None:
    expected = "+7" + value.translate(str.maketrans("", "", "+ ()-"))[-10:]
    assert values.normalise_phone(value) == expected
    assert calls["parse"] == 0


def test_a_russian_number_is_checked_once(calls: dict[str, int]) -> None:
    assert values.normalise_phone("+7 926 498-32-23") == "+79264983223"
    assert values.normalise_phone("8 (495) 123-45-67") == "+74951234567"
    assert calls == {"parse": 0, "is_valid_number": 0}


def test_a_kazakh_or_invalid_number_takes_the_full_check(calls: dict[str, int]) -> None:
    assert values.normalise_phone("+7 701 123-45-67") == "+77011234567"  # Kazakhstan
    assert values.normalise_phone("+7 399 123-45-67") is None
    assert calls == {"parse": 0, "is_valid_number": 2}
