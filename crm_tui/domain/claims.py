"""Claim rules: outcome and posting, the action plan, and attachment name safety.

Pure Python: the store and the screens call these before they build rows or show text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime

from crm_tui.domain.enums import ClaimSource, ClaimStatus
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.formatting import read_date, read_moment
from crm_tui.domain.text import check_text
from crm_tui.i18n import _

MAX_NAME_LENGTH = 200
DEFAULT_ATTACHMENT_NAME = "attachment"
# Names Windows refuses even with an extension; a saved copy must open everywhere.
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(1, 10)]
    + [f"lpt{i}" for i in range(1, 10)]
)
_UNSAFE_CHARACTERS = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*]')


@dataclass(frozen=True)
class PlanTask:
    """One task of a claim's action plan, as the editor and the store exchange it."""

    name: str
    description: str = ""
    due: date | None = None
    assignee: str | None = None  # user login
    done: bool = False
    done_at: datetime | None = None  # when it was marked done (None: open, or not recorded)


@dataclass(frozen=True)
class Outcome:
    """The result of a claim: status, when it was resolved, and how."""

    status: ClaimStatus
    resolved_at: datetime | None
    resolution: str


def check_outcome(status: str, resolved_at: datetime | None, resolution: str | None) -> Outcome:
    """Validate an outcome: satisfied/not satisfied need a date; satisfied needs details.

    An open claim has no resolution date (it is dropped)."""
    try:
        value = ClaimStatus(status)
    except ValueError as error:
        raise ValidationError(_("unknown claim status: {status}").format(status=status),
                              field="status") from error
    text = check_text(resolution or "", _("Resolution"), multiline=True).strip()
    if value == ClaimStatus.OPEN:
        return Outcome(value, None, text)
    if resolved_at is None:
        raise ValidationError(_("the outcome needs its date"), field="resolved_at")
    if value == ClaimStatus.SATISFIED and not text:
        raise ValidationError(_("a satisfied claim needs the resolution details"),
                              field="resolution")
    return Outcome(value, resolved_at, text)


def check_can_post(status: str) -> None:
    """Posting makes the outcome final: an open claim has no outcome to post."""
    if status == ClaimStatus.OPEN:
        raise DomainError(_("an open claim cannot be posted: set its outcome first"))


def check_not_posted(posted: bool) -> None:
    """A posted claim is read-only until it is un-posted."""
    if posted:
        raise DomainError(_("the claim is posted and read-only; un-post it to change it"))


def check_source(source: str, source_document: str | None) -> str | None:
    """Validate the registration source; a discrepancy act needs its reference."""
    try:
        value = ClaimSource(source)
    except ValueError as error:
        raise ValidationError(_("unknown claim source: {source}").format(source=source),
                              field="source") from error
    document = check_text(source_document or "", _("Source document")).strip() or None
    if value == ClaimSource.DISCREPANCY_ACT and document is None:
        raise ValidationError(_("a claim from a discrepancy act needs the act's number and date"),
                              field="source_document")
    return document


def act_reference(number: str, day: date) -> str:
    """The source document of a claim registered from a discrepancy act: "№ N от DATE"."""
    number = check_text(number, _("Act number")).strip()
    if not number:
        raise ValidationError(_("the act number is required"), field="number")
    return _("№ {number} of {date}").format(number=number, date=day.strftime("%d.%m.%Y"))


def check_claim_fields(description: str) -> str:
    """Validate the claim's own texts; the description is required."""
    text = check_text(description, _("Description"), multiline=True).strip()
    if not text:
        raise ValidationError(_("the description is required"), field="description")
    return text


def check_task(task: PlanTask, default_assignee: str | None = None) -> PlanTask:
    """A task says what to do and when (the seed makes "when and what" mandatory): a name,
    a description and a due date; texts hold no control characters. Without an assignee
    it goes to `default_assignee` (the claim's manager)."""
    name = check_text(task.name, _("Task")).strip()
    if not name:
        raise ValidationError(_("a task needs a name"), field="name")
    description = check_text(task.description, _("Description"), multiline=True).strip()
    if not description:
        raise ValidationError(_("a task needs a description: what exactly to do"),
                              field="description")
    if task.due is None:
        raise ValidationError(_("a task needs a due date"), field="due")
    done_at = task.done_at if task.done else None
    return replace(task, name=name, description=description, done_at=done_at,
                   assignee=task.assignee or default_assignee)


def set_done(task: PlanTask, done: bool, now: datetime) -> PlanTask:
    """The task marked done (remembering when, for the on-time report) or open again."""
    if done == task.done:
        return task
    return replace(task, done=done, done_at=now if done else None)


def open_tasks(tasks: list[PlanTask] | tuple[PlanTask, ...]) -> int:
    """How many tasks of a plan are not done (posting such a claim asks first)."""
    return sum(1 for task in tasks if not task.done)


def check_can_post_with(open_count: int, allowed: bool) -> None:
    """Posting a claim whose plan has open tasks, where the setting forbids it, is refused."""
    if open_count and not allowed:
        # One wording for any count: the catalogs hold no plural forms.
        raise DomainError(_("open tasks in the action plan: {count}; the settings forbid "
                            "posting a claim before its tasks are done").format(count=open_count))


def prefill_task(due: date | None = None, assignee: str | None = None) -> PlanTask:
    """A new task: its due date and assignee (the claim's manager); what to do is the
    user's. The task is always shown with its claim, so the claim's number, partner and
    reason are not copied into it: a copy stayed as it was when the claim changed, and a new
    claim's said "new claim" for ever."""
    return PlanTask(name="", description="", due=due, assignee=assignee)


def is_overdue(task: PlanTask, today: date) -> bool:
    """An unfinished task past its due date."""
    return not task.done and task.due is not None and task.due < today


def progress(tasks: list[PlanTask] | tuple[PlanTask, ...]) -> tuple[int, int]:
    """(done, total) of a plan."""
    return sum(1 for task in tasks if task.done), len(tasks)


def format_progress(done: int, total: int) -> str:
    """"done of total", or a dash for an empty plan."""
    if total == 0:
        return "—"
    return _("{done} of {total}").format(done=done, total=total)


def move(tasks: list[PlanTask], index: int, delta: int) -> tuple[list[PlanTask], int]:
    """The plan with task `index` moved by `delta` places, and its new index."""
    target = index + delta
    if not (0 <= index < len(tasks)) or not (0 <= target < len(tasks)):
        return list(tasks), index
    moved = list(tasks)
    moved[index], moved[target] = moved[target], moved[index]
    return moved, target


def safe_file_name(name: str) -> str:
    """A user's file name reduced to a plain base name that stays inside any folder.

    Path separators (both kinds), drive letters, NUL and other control characters,
    leading dots (`..`, hidden files) and reserved device names never survive."""
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _UNSAFE_CHARACTERS.sub("_", text)
    text = text.strip().lstrip(".").strip()
    text = text.rstrip(". ")
    if not text or set(text) <= {"_", "."}:
        text = DEFAULT_ATTACHMENT_NAME
    stem = text.split(".", 1)[0].lower()
    if stem in _RESERVED:
        text = f"_{text}"
    if len(text) > MAX_NAME_LENGTH:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            text = stem[: MAX_NAME_LENGTH - len(extension) - 1] + "." + extension
        else:
            text = text[:MAX_NAME_LENGTH]
    return text


def check_attachment_size(size: int, limit_mb: float) -> None:
    """Refuse a file above the configured limit (in megabytes)."""
    limit = int(float(limit_mb) * 1024 * 1024)
    if size > limit:
        raise ValidationError(
            _("the file is {size} and the limit is {limit} MB; it was not attached")
            .format(size=format_size(size), limit=f"{float(limit_mb):g}"),
            field="attachment",
        )


def format_size(size: int) -> str:
    """A byte count for people: 512 B, 12.3 KB, 4.0 MB."""
    if size < 1024:
        return _("{n} B").format(n=size)
    if size < 1024 * 1024:
        return _("{n} KB").format(n=f"{size / 1024:.1f}")
    return _("{n} MB").format(n=f"{size / 1024 / 1024:.1f}")


def parse_day(text: str, field: str) -> date | None:
    """A date typed by the user: DD.MM.YYYY, DD.MM.YY or YYYY-MM-DD; empty is None."""
    value = text.strip()
    if not value:
        return None
    try:
        return read_date(value)
    except ValueError:
        pass
    raise ValidationError(_("{field}: not a date (YYYY-MM-DD or DD.MM.YYYY): {value}")
                          .format(field=field, value=value), field=field)


def parse_moment(text: str, field: str) -> datetime | None:
    """A timestamp typed by the user: a date with an optional HH:MM; empty is None."""
    value = text.strip()
    if not value:
        return None
    try:
        return read_moment(value)
    except ValueError:
        pass
    raise ValidationError(_("{field}: not a date and time (DD.MM.YYYY HH:MM): {value}")
                          .format(field=field, value=value), field=field)
