"""Control characters, display safety, search folding, INN/KPP/OGRN."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_tui.domain.errors import ValidationError
from crm_tui.domain.identifiers import validate_inn, validate_kpp, validate_ogrn
from crm_tui.domain.text import check_text, find_control_character, normalise_search, safe_display


@pytest.mark.parametrize(
    "text", ["a\x1b[2Jb", "\x1b]52;c;SGVsbG8=\x07", "x\x00", "del\x7f", "c1\x9b"])
def test_control_characters_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        check_text(text, "name")


def test_tab_allowed_newline_only_in_long_texts() -> None:
    assert find_control_character("a\tb") is None
    assert find_control_character("a\nb") == 1
    assert find_control_character("a\nb", multiline=True) is None


@given(st.text())
def test_safe_display_never_lets_a_control_character_through(text: str) -> None:
    shown = safe_display(text)
    assert not any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in shown)


def test_search_folding_handles_cyrillic_and_yo() -> None:
    assert normalise_search("Артём РОМАШКА") == normalise_search("артем ромашка")


@pytest.mark.parametrize("inn", ["7707083893", "500100732259"])
def test_valid_inn(inn: str) -> None:
    assert validate_inn(inn) == inn


@pytest.mark.parametrize("inn", ["7707083894", "12345", "77070838ab", "500100732250"])
def test_invalid_inn(inn: str) -> None:
    with pytest.raises(ValidationError):
        validate_inn(inn)


def test_kpp_and_ogrn() -> None:
    assert validate_kpp("773601001") == "773601001"
    assert validate_kpp("7736AB001") == "7736AB001"
    with pytest.raises(ValidationError):
        validate_kpp("77360100")
    assert validate_ogrn("1027700132195") == "1027700132195"
    with pytest.raises(ValidationError):
        validate_ogrn("1027700132196")


@given(st.text(max_size=20))
def test_validators_never_crash(text: str) -> None:
    for validator in (validate_inn, validate_kpp, validate_ogrn):
        with contextlib.suppress(ValidationError):
            validator(text)
