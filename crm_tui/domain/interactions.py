"""Interaction rules: kinds and their fields, subject chains, snoozing, "due", calendar periods.

Pure Python: no textual, no database.

*Due.* An interaction is due at `review_after` when it has one (it was snoozed or given a
review time), else at `at` (its time: a call's time, a meeting's start, a planned time).
The inbox orders by due, newest first, so an item that comes back from a snooze shows up
at the top, where the user expects it.

*Snoozed.* An in-progress interaction whose `review_after` is still in the future. It is
hidden from "in progress" and listed under "snoozed" until its time passes.

*Subject chains (предмет).* The subject is a deal, a claim or another interaction. A new
interaction created from a subject gets that subject; one created from another interaction
(follow-up, reply) inherits that interaction's subject, or, if it has none, takes that
interaction itself as its subject. The chain of a subject is the subject (when it is an
interaction) and every interaction whose subject it is, in time order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from crm_tui.domain.enums import Direction, InteractionKind, InteractionStatus
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.text import check_text
from crm_tui.i18n import N_, _

SUBJECT_KINDS: tuple[str, ...] = ("deal", "claim", "interaction")
SUBJECT_LABELS: dict[str, str] = {
    "deal": N_("Deal"),
    "claim": N_("Claim"),
    "interaction": N_("Interaction"),
}

# The kind-specific fields each kind shows and stores (besides the common ones).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    InteractionKind.MEETING: ("end", "place", "attendees"),
    InteractionKind.PLANNED: (),
    InteractionKind.CALL: ("direction", "phone", "duration_s"),
    InteractionKind.EMAIL: ("direction", "email_from", "email_to", "text"),
    InteractionKind.SMS: ("direction", "phone", "text"),
}
DIRECTED_KINDS = frozenset({InteractionKind.CALL, InteractionKind.EMAIL, InteractionKind.SMS})


@dataclass(frozen=True)
class SubjectRef:
    """A subject: ("deal" | "claim" | "interaction", key)."""

    kind: str
    key: str

    def __post_init__(self) -> None:
        if self.kind not in SUBJECT_KINDS:
            raise ValidationError(_("unknown subject kind: {kind}").format(kind=self.kind),
                                  field="subject")


def follow_up_subject(parent_key: str, parent_subject: SubjectRef | None) -> SubjectRef:
    """The subject of a follow-up (or reply) to interaction `parent_key`."""
    if parent_subject is not None:
        return parent_subject
    return SubjectRef("interaction", parent_key)


def chain_subject(own_key: str, own_subject: SubjectRef | None) -> SubjectRef:
    """The subject whose chain an interaction belongs to (itself when it has none)."""
    return follow_up_subject(own_key, own_subject)


def new_subject_for_member(member_key: str, new_subject: SubjectRef | None) -> SubjectRef | None:
    """What a chain member's subject becomes when the chain moves to `new_subject`.

    A member that is itself the new subject gets none (it becomes the chain's root)."""
    if new_subject is not None and new_subject.kind == "interaction" \
            and new_subject.key == member_key:
        return None
    return new_subject


# ------------------------------------------------------------------------------ snooze
class Snooze(StrEnum):
    """The snooze choices of the inbox."""

    MIN_15 = "15m"
    HOUR_1 = "1h"
    HOURS_3 = "3h"
    TOMORROW = "tomorrow"


SNOOZE_LABELS: dict[Snooze, str] = {
    Snooze.MIN_15: N_("15 minutes"),
    Snooze.HOUR_1: N_("1 hour"),
    Snooze.HOURS_3: N_("3 hours"),
    Snooze.TOMORROW: N_("Tomorrow {hour}:00"),
}
SNOOZE_MINUTES: dict[Snooze, int] = {Snooze.MIN_15: 15, Snooze.HOUR_1: 60, Snooze.HOURS_3: 180}


@dataclass(frozen=True)
class WorkDay:
    """The organizer's settings: the default snooze and the working hours (whole hours)."""

    snooze_minutes: int = 60
    start_hour: int = 9
    end_hour: int = 18


# A snooze choice: one of the fixed ones, or a number of minutes (the default snooze).
SnoozeChoice = Snooze | int


def snooze_choices(day: WorkDay) -> list[SnoozeChoice]:
    """The snooze menu: the default first, then the fixed choices that differ from it."""
    return [day.snooze_minutes, *(choice for choice in Snooze
                                  if SNOOZE_MINUTES.get(choice) != day.snooze_minutes)]


def snooze_until(now: datetime, choice: SnoozeChoice | str, day: WorkDay = WorkDay()
                 ) -> datetime:
    """When an item snoozed at `now` with `choice` comes back ("tomorrow": the start of
    tomorrow's working hours)."""
    if isinstance(choice, int):
        return now + timedelta(minutes=choice)
    choice = Snooze(choice)
    if choice is Snooze.TOMORROW:
        return datetime.combine(now.date() + timedelta(days=1), time(day.start_hour))
    return now + timedelta(minutes=SNOOZE_MINUTES[choice])


def due(at: datetime, review_after: datetime | None) -> datetime:
    """When the item needs attention (see the module docstring)."""
    return review_after if review_after is not None else at


def is_overdue(status: str, at: datetime, end: datetime | None, now: datetime) -> bool:
    """An in-progress item whose time (its end for a meeting) has passed."""
    return status == InteractionStatus.IN_PROGRESS and (end or at) < now


# ------------------------------------------------------------------------ validation
@dataclass(frozen=True)
class InteractionDraft:
    """What the form gives to save: every field, already parsed."""

    kind: str
    topic: str
    at: datetime
    status: str = InteractionStatus.IN_PROGRESS
    partner_key: str | None = None
    contact_key: str | None = None
    manager_login: str | None = None
    subject: SubjectRef | None = None
    review_after: datetime | None = None
    end: datetime | None = None
    place: str | None = None
    attendees: str | None = None
    direction: str | None = None
    phone: str | None = None
    duration_s: int | None = None
    email_from: str | None = None
    email_to: str | None = None
    text: str | None = None


def validate_draft(draft: InteractionDraft) -> InteractionDraft:
    """Check a draft; return it with the fields its kind does not have cleared.

    Raises ValidationError (with the field name) on the first problem."""
    if draft.kind not in {k.value for k in InteractionKind}:
        raise ValidationError(_("unknown interaction kind: {kind}").format(kind=draft.kind),
                              field="kind")
    if draft.status not in {s.value for s in InteractionStatus}:
        raise ValidationError(_("unknown status: {status}").format(status=draft.status),
                              field="status")
    if not draft.topic.strip():
        raise ValidationError(_("Topic: must not be empty"), field="topic")
    check_text(draft.topic, "topic")
    for name in ("place", "attendees", "phone", "email_from", "email_to"):
        value = getattr(draft, name)
        if value is not None:
            check_text(value, name)
    if draft.text is not None:
        check_text(draft.text, "text", multiline=True)
    fields = KIND_FIELDS[InteractionKind(draft.kind)]
    cleared = {name: None for name in ("end", "place", "attendees", "direction", "phone",
                                       "duration_s", "email_from", "email_to")
               if name not in fields}
    # Every kind keeps `text` (an e-mail's body, an SMS's text, notes of the others).
    result = replace(draft, **cleared)  # type: ignore[arg-type]
    if result.end is not None and result.end < result.at:
        raise ValidationError(_("End: must not be before the start"), field="end")
    if result.direction is not None and result.direction not in {d.value for d in Direction}:
        raise ValidationError(_("unknown direction: {direction}")
                              .format(direction=result.direction), field="direction")
    if result.duration_s is not None and result.duration_s < 0:
        raise ValidationError(_("Duration: must not be negative"), field="duration_s")
    if result.kind == InteractionKind.EMAIL and result.email_to is not None \
            and result.email_to.strip() and "@" not in result.email_to:
        raise ValidationError(_("To: not an e-mail address"), field="email_to")
    return result


# ------------------------------------------------------------------------- calendar
class CalendarView(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def period_bounds(view: CalendarView | str, anchor: date) -> tuple[date, date]:
    """The first day and the day after the last of the period holding `anchor`."""
    view = CalendarView(view)
    if view is CalendarView.DAY:
        return anchor, anchor + timedelta(days=1)
    if view is CalendarView.WEEK:
        start = anchor - timedelta(days=anchor.weekday())
        return start, start + timedelta(days=7)
    start = anchor.replace(day=1)
    following = (start.replace(year=start.year + 1, month=1) if start.month == 12
                 else start.replace(month=start.month + 1))
    return start, following


def shift_period(view: CalendarView | str, anchor: date, steps: int) -> date:
    """The anchor `steps` periods later (earlier when negative)."""
    view = CalendarView(view)
    if view is CalendarView.DAY:
        return anchor + timedelta(days=steps)
    if view is CalendarView.WEEK:
        return anchor + timedelta(days=7 * steps)
    month_index = anchor.year * 12 + anchor.month - 1 + steps
    year, month = divmod(month_index, 12)
    return date(year, month + 1, 1)


def grid_start(view: CalendarView | str, anchor: date) -> date:
    """The Monday the month grid starts on (the period start for day and week views)."""
    start, _end = period_bounds(view, anchor)
    if CalendarView(view) is CalendarView.MONTH:
        return start - timedelta(days=start.weekday())
    return start
