"""The importer's phone shortcut gives exactly what phonenumbers' general parser gives."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from crm_tui.exchange.values import _parse_phone, normalise_phone

FORMS = ("+7{d}", "+7 {a} {b}-{c}-{e}", "8 ({a}) {b}-{c}-{e}", "8{d}", "+7({a}){b}{c}{e}",
         "8-{a}-{b}-{c}-{e}", "+7 ({a}) {b} {c} {e}", "8 {a} {b} {c}{e}")


def _forms(digits: str) -> list[str]:
    parts = {"d": digits, "a": digits[:3], "b": digits[3:6], "c": digits[6:8], "e": digits[8:]}
    return [form.format(**parts) for form in FORMS]


def test_shortcut_matches_the_parser_on_many_numbers() -> None:
    rng = random.Random(12)
    checked = 0
    for _ in range(3000):
        digits = "".join(rng.choice("0123456789") for _ in range(10))
        for value in _forms(digits):
            assert normalise_phone(value) == _parse_phone(value), value
            checked += 1
    assert checked == 3000 * len(FORMS)


def test_shortcut_matches_the_parser_on_realistic_prefixes() -> None:
    rng = random.Random(7)
    for prefix in ("495", "499", "812", "383", "343", "911", "926", "999", "800", "301", "700"):
        for _ in range(200):
            digits = prefix + "".join(rng.choice("0123456789") for _ in range(7))
            for value in _forms(digits):
                assert normalise_phone(value) == _parse_phone(value), value


@given(st.text(alphabet="+78 ()-0123456789", max_size=22))
def test_shortcut_matches_the_parser_on_arbitrary_strings(value: str) -> None:
    assert normalise_phone(value) == _parse_phone(value)
