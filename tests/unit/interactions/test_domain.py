"""Domain rules: chain inheritance, snooze times, validation, calendar periods."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crm_tui.domain.errors import ValidationError
from crm_tui.domain.interactions import (
    InteractionDraft,
    Snooze,
    SubjectRef,
    WorkDay,
    due,
    follow_up_subject,
    new_subject_for_member,
    period_bounds,
    shift_period,
    snooze_choices,
    snooze_until,
    validate_draft,
)

NOW = datetime(2026, 1, 15, 10, 30)


def test_follow_up_inherits_the_subject() -> None:
    deal = SubjectRef("deal", "D1")
    assert follow_up_subject("I1", deal) == deal


def test_follow_up_of_an_interaction_without_subject_takes_it_as_subject() -> None:
    assert follow_up_subject("I1", None) == SubjectRef("interaction", "I1")


def test_member_that_becomes_the_subject_gets_none() -> None:
    assert new_subject_for_member("I1", SubjectRef("interaction", "I1")) is None
    assert new_subject_for_member("I2", SubjectRef("interaction", "I1")) == \
        SubjectRef("interaction", "I1")


def test_unknown_subject_kind_is_refused() -> None:
    with pytest.raises(ValidationError):
        SubjectRef("agreement", "A1")


@pytest.mark.parametrize(("choice", "expected"), [
    (Snooze.MIN_15, datetime(2026, 1, 15, 10, 45)),
    (Snooze.HOUR_1, datetime(2026, 1, 15, 11, 30)),
    (Snooze.HOURS_3, datetime(2026, 1, 15, 13, 30)),
    (Snooze.TOMORROW, datetime(2026, 1, 16, 9, 0)),
])
def test_snooze_times(choice: Snooze, expected: datetime) -> None:
    assert snooze_until(NOW, choice) == expected


def test_snooze_follows_the_work_day() -> None:
    day = WorkDay(snooze_minutes=20, start_hour=8, end_hour=17)
    assert snooze_choices(day) == [20, Snooze.MIN_15, Snooze.HOUR_1, Snooze.HOURS_3,
                                   Snooze.TOMORROW]
    # A default equal to a fixed choice is not offered twice.
    assert snooze_choices(WorkDay(snooze_minutes=60)) == [60, Snooze.MIN_15, Snooze.HOURS_3,
                                                          Snooze.TOMORROW]
    assert snooze_until(NOW, 20, day) == datetime(2026, 1, 15, 10, 50)
    assert snooze_until(NOW, Snooze.TOMORROW, day) == datetime(2026, 1, 16, 8, 0)


def test_due() -> None:
    later = datetime(2026, 1, 15, 11, 0)
    assert due(NOW, None) == NOW and due(NOW, later) == later


def test_validation_clears_fields_of_other_kinds() -> None:
    draft = InteractionDraft(kind="planned", topic="t", at=NOW, place="room", direction="incoming")
    result = validate_draft(draft)
    assert result.place is None and result.direction is None


@pytest.mark.parametrize("draft", [
    InteractionDraft(kind="call", topic="  ", at=NOW),
    InteractionDraft(kind="call", topic="a\x1b]52;c;x\x07", at=NOW),
    InteractionDraft(kind="meeting", topic="t", at=NOW, end=datetime(2026, 1, 15, 9)),
    InteractionDraft(kind="call", topic="t", at=NOW, duration_s=-1),
    InteractionDraft(kind="email", topic="t", at=NOW, email_to="nobody"),
    InteractionDraft(kind="fax", topic="t", at=NOW),
])
def test_invalid_drafts(draft: InteractionDraft) -> None:
    with pytest.raises(ValidationError):
        validate_draft(draft)


def test_periods() -> None:
    thursday = date(2026, 1, 15)
    assert period_bounds("day", thursday) == (thursday, date(2026, 1, 16))
    assert period_bounds("week", thursday) == (date(2026, 1, 12), date(2026, 1, 19))
    assert period_bounds("month", date(2025, 12, 31)) == (date(2025, 12, 1), date(2026, 1, 1))
    assert shift_period("month", date(2026, 1, 31), -1) == date(2025, 12, 1)
    assert shift_period("week", thursday, 1) == date(2026, 1, 22)
    assert shift_period("day", thursday, -1) == date(2026, 1, 14)
