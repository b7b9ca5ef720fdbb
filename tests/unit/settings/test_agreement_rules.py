"""Agreement validation rules (pure domain)."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.domain.agreements import (
    AgreementDraft,
    PaymentLine,
    check_agreement,
    individual_from_typical,
    parse_day,
    parse_days,
    parse_percent,
    schedule_problem,
    validate_agreement,
)
from crm_tui.domain.errors import ValidationError

GOOD = AgreementDraft(name=" Terms ", kind="typical",
                      schedule=(PaymentLine(30, 0), PaymentLine(70, 30)))


def fields(draft: AgreementDraft) -> set[str | None]:
    return {problem.field for problem in check_agreement(draft)}


def test_a_good_typical_agreement_passes_and_is_trimmed() -> None:
    assert validate_agreement(GOOD).name == "Terms"


@pytest.mark.parametrize(("lines", "expected"), [
    ((), "add at least one payment line"),
    ((PaymentLine(50, 0),), "percents must sum to 100, not 50"),
    ((PaymentLine(60, 0), PaymentLine(60, 10)), "percents must sum to 100, not 120"),
    ((PaymentLine(0, 0), PaymentLine(100, 10)), "line 1: percent must be from 1 to 100"),
    ((PaymentLine(100, -1),), "line 1: days must be 0 or more"),
])
def test_schedule_problems_are_named(lines: tuple[PaymentLine, ...], expected: str) -> None:
    assert schedule_problem(lines) == expected


def test_schedule_summing_to_100_is_fine() -> None:
    assert schedule_problem((PaymentLine(100, 0),)) is None


def test_individual_needs_a_partner_and_typical_has_none() -> None:
    assert "partner" in fields(AgreementDraft("x", "individual", schedule=GOOD.schedule))
    assert "partner" in fields(AgreementDraft("x", "typical", partner_key="P1",
                                              schedule=GOOD.schedule))
    assert not fields(AgreementDraft("x", "individual", partner_key="P1", schedule=GOOD.schedule))


def test_validity_end_not_before_start() -> None:
    draft = AgreementDraft("x", "typical", schedule=GOOD.schedule,
                           valid_from=date(2025, 2, 1), valid_to=date(2025, 1, 31))
    assert fields(draft) == {"valid_to"}
    same_day = AgreementDraft("x", "typical", schedule=GOOD.schedule,
                              valid_from=date(2025, 2, 1), valid_to=date(2025, 2, 1))
    assert not fields(same_day)


def test_name_status_kind_and_control_characters() -> None:
    assert "name" in fields(AgreementDraft("  ", "typical", schedule=GOOD.schedule))
    assert "name" in fields(AgreementDraft("a\x1bb", "typical", schedule=GOOD.schedule))
    assert "kind" in fields(AgreementDraft("x", "other", schedule=GOOD.schedule))
    assert "status" in fields(AgreementDraft("x", "typical", schedule=GOOD.schedule,
                                             status="gone"))


def test_validate_raises_the_first_problem() -> None:
    with pytest.raises(ValidationError) as error:
        validate_agreement(AgreementDraft("", "typical", schedule=GOOD.schedule))
    assert error.value.field == "name"


def test_typed_values_are_parsed_as_typed() -> None:
    assert parse_percent(" 40 ") == 40
    assert parse_days("0") == 0
    for bad in ("", "-1", "4.5", "abc", "101", "٣"):
        with pytest.raises(ValidationError):
            parse_percent(bad)
    assert parse_day("", "valid_from") is None
    assert parse_day("2025-03-01", "valid_from") == date(2025, 3, 1)
    assert parse_day("01.03.2025", "valid_from") == date(2025, 3, 1)  # issue 22: dotted too
    with pytest.raises(ValidationError):
        parse_day("01032025", "valid_from")


def test_individual_from_typical_copies_terms() -> None:
    draft = individual_from_typical(GOOD, "T1", "P1")
    assert draft.kind == "individual" and draft.partner_key == "P1"
    assert draft.based_on == "T1" and draft.schedule == GOOD.schedule
    assert draft.status == "draft"
    with pytest.raises(ValidationError):
        individual_from_typical(draft, "I1", "P1")
