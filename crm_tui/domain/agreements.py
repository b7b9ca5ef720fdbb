"""Agreement rules: kinds, partners, payment schedules and validity dates.

Pure functions used both while the user types (the form shows the schedule total live)
and before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from crm_tui.domain.enums import AgreementKind, AgreementStatus
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.formatting import read_date
from crm_tui.domain.text import check_text
from crm_tui.i18n import _

SCHEDULE_TOTAL = 100
MAX_DAYS = 3650
MAX_LINES = 50


@dataclass(frozen=True)
class PaymentLine:
    """One line of a payment schedule: `percent` of the amount, `days` after shipment."""

    percent: int
    days: int


@dataclass(frozen=True)
class AgreementDraft:
    """What a user edits: an agreement's terms before they are saved."""

    name: str
    kind: str
    partner_key: str | None = None
    price_type: str | None = None  # classifier code
    schedule: tuple[PaymentLine, ...] = field(default_factory=tuple)
    valid_from: date | None = None
    valid_to: date | None = None
    status: str = AgreementStatus.DRAFT.value
    based_on: str | None = None  # key of a typical agreement


def parse_int_field(text: str, field_name: str, label: str, maximum: int) -> int:
    """A whole number 0..maximum typed by the user (spaces around it are ignored)."""
    cleaned = text.strip()
    if not cleaned:
        raise ValidationError(_("{field}: enter a number").format(field=label), field=field_name)
    if not cleaned.isdigit() or not cleaned.isascii():
        raise ValidationError(_("{field}: use digits only, 0 or more").format(field=label),
                              field=field_name)
    value = int(cleaned)
    if value > maximum:
        raise ValidationError(_("{field}: at most {maximum}").format(field=label, maximum=maximum),
                              field=field_name)
    return value


def parse_percent(text: str) -> int:
    """A payment line's percent as typed: 0..100."""
    return parse_int_field(text, "percent", _("Percent"), SCHEDULE_TOTAL)


def parse_days(text: str) -> int:
    """A payment line's days after shipment as typed: 0 or more."""
    return parse_int_field(text, "days", _("Days"), MAX_DAYS)


def parse_day(text: str, field_name: str) -> date | None:
    """A typed date (31.12.2027, 31.12.27 or 2027-12-31); empty means none."""
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        return read_date(cleaned)
    except ValueError as error:
        raise ValidationError(_("enter a date as DD.MM.YYYY or YYYY-MM-DD"),
                              field=field_name) from error


def schedule_total(lines: Sequence[PaymentLine]) -> int:
    """The sum of the schedule's percents."""
    return sum(line.percent for line in lines)


def schedule_problem(lines: Sequence[PaymentLine]) -> str | None:
    """Why the schedule cannot be saved, or None when it can (shown live as the user types)."""
    if not lines:
        return _("add at least one payment line")
    if len(lines) > MAX_LINES:
        return _("at most {count} payment lines").format(count=MAX_LINES)
    for number, line in enumerate(lines, 1):
        if line.percent <= 0 or line.percent > SCHEDULE_TOTAL:
            return _("line {n}: percent must be from 1 to 100").format(n=number)
        if line.days < 0:
            return _("line {n}: days must be 0 or more").format(n=number)
    total = schedule_total(lines)
    if total != SCHEDULE_TOTAL:
        return _("percents must sum to 100, not {total}").format(total=total)
    return None


def check_agreement(draft: AgreementDraft) -> list[ValidationError]:
    """Every problem of a draft (empty when it can be saved), each naming its field."""
    problems: list[ValidationError] = []
    name = draft.name.strip()
    if not name:
        problems.append(ValidationError(_("enter the agreement's name"), field="name"))
    else:
        try:
            check_text(name, _("Name"))
        except ValidationError as error:
            problems.append(ValidationError(str(error), field="name"))
    if draft.kind not in {kind.value for kind in AgreementKind}:
        problems.append(ValidationError(_("choose typical or individual"), field="kind"))
    elif draft.kind == AgreementKind.INDIVIDUAL and not draft.partner_key:
        problems.append(ValidationError(_("an individual agreement needs a partner"),
                                        field="partner"))
    elif draft.kind == AgreementKind.TYPICAL and draft.partner_key:
        problems.append(ValidationError(_("a typical agreement has no partner"), field="partner"))
    if draft.kind == AgreementKind.TYPICAL and draft.based_on:
        problems.append(ValidationError(_("only an individual agreement is based on a typical one"),
                                        field="based_on"))
    if draft.status not in {status.value for status in AgreementStatus}:
        problems.append(ValidationError(_("choose a status"), field="status"))
    problem = schedule_problem(draft.schedule)
    if problem is not None:
        problems.append(ValidationError(problem, field="payment_schedule"))
    if draft.valid_from and draft.valid_to and draft.valid_to < draft.valid_from:
        problems.append(ValidationError(_("the end of validity is before its start"),
                                        field="valid_to"))
    return problems


def validate_agreement(draft: AgreementDraft) -> AgreementDraft:
    """The draft with its name trimmed; raises the first problem as ValidationError."""
    problems = check_agreement(draft)
    if problems:
        raise problems[0]
    return replace(draft, name=draft.name.strip())


def individual_from_typical(typical: AgreementDraft, typical_key: str,
                            partner_key: str | None) -> AgreementDraft:
    """An individual agreement's draft copying a typical one's terms (then edited)."""
    if typical.kind != AgreementKind.TYPICAL:
        raise ValidationError(_("{key} is not a typical agreement").format(key=typical_key),
                              field="based_on")
    return replace(typical, kind=AgreementKind.INDIVIDUAL.value, partner_key=partner_key,
                   status=AgreementStatus.DRAFT.value, based_on=typical_key)
