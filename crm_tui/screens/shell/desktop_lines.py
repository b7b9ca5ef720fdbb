"""Home's desktop as option-list lines: a heading per group (with its count) and one line
per record, whose option id says what it opens ("interaction:I1:3", "claim:CL2:1",
"deal:D1:0": kind, key, and the interaction's version or the task's number)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.widgets.option_list import Option

from crm_tui.domain.text import safe_display
from crm_tui.i18n import _
from crm_tui.store.repo_desktop import LIMIT, Desktop, WorkItem


def option_id(item: WorkItem) -> str:
    number = item.task_seq if item.kind == "claim" else item.version
    return f"{item.kind}:{item.key}:{number}"


def parse_id(option: str) -> tuple[str, str, int]:
    kind, rest = option.split(":", 1)
    key, number = rest.rsplit(":", 1)  # a key may hold a colon
    return kind, key, int(number)


def _line(when: str, title: str, rest: str, style: str) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    if when:
        text.append(f"{when}  ", style=style or "bold")
    text.append(safe_display(title), style=style)
    if rest:
        text.append(f" · {safe_display(rest)}", style="dim")
    return text


def _date(moment: datetime, now: datetime) -> str:
    """Day and month; the year too when it is not this one (long-overdue items)."""
    return moment.strftime("%d.%m" if moment.year == now.year else "%d.%m.%y")


def _who(item: WorkItem, everyone: bool) -> str:
    parts = [item.partner]
    if everyone and item.manager:
        parts.append(item.manager)
    return " · ".join(part for part in parts if part)


def _heading(title: str, count: int, more: bool) -> Option:
    label = f"{title} ({count}+)" if more else f"{title} ({count})"
    return Option(Text(label, style="bold"), disabled=True)


def options(data: Desktop, now: datetime, everyone: bool) -> list[Option]:
    """The desktop's lines: interactions overdue and today, claim tasks due, deals needing
    attention; an empty group says so."""
    result: list[Option] = []

    def group(title: str, items: list[WorkItem], line: Callable[[WorkItem], Text]) -> None:
        result.append(_heading(title, len(items), len(items) >= LIMIT))
        if not items:
            result.append(Option(Text("  " + _("nothing"), style="dim"), disabled=True))
        for item in items:
            result.append(Option(line(item), id=option_id(item)))

    def interaction(item: WorkItem) -> Text:
        late = item.due is not None and item.due < now
        when = _date(item.due, now) + item.due.strftime(" %H:%M") if item.due else ""
        return _line(when, item.title, _who(item, everyone), "red" if late else "")

    def task(item: WorkItem) -> Text:
        late = item.due is not None and item.due.date() < now.date()
        when = _date(item.due, now) if item.due else ""
        return _line(when, item.title, " · ".join(
            part for part in (item.key, _who(item, everyone)) if part), "red" if late else "")

    def deal(item: WorkItem) -> Text:
        why = (_("{days} d without an interaction") if item.reason == "quiet" else
               _("{days} d in the stage")).format(days=item.days)
        return _line("", f"{item.key} {item.title}", " · ".join(
            part for part in (why, _who(item, everyone)) if part), "")

    group(_("Interactions: overdue and today"), data.interactions, interaction)
    group(_("Claim tasks due"), data.tasks, task)
    group(_("Deals needing attention"), data.deals, deal)
    return result
