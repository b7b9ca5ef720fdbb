"""The event calendar as iCalendar (RFC 5545), for common calendar programs. No textual."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from icalendar import Calendar, Event

from crm_tui.domain import clock
from crm_tui.i18n import _
from crm_tui.store.database import Database
from crm_tui.store.repo_interactions_lists import CalendarItem, calendar_items

PRODID = "-//crm-tui//Event calendar//EN"
DEFAULT_LENGTH = timedelta(minutes=30)
UID_DOMAIN = "crm-tui"


def build_calendar(items: Iterable[CalendarItem], now: datetime | None = None) -> Calendar:
    """One VEVENT per interaction or task; times are floating local times, like the
    database's; a task is an all-day event on its due day, category "task"."""
    stamp = now or clock.now()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Event calendar"))
    for item in items:
        event = Event()
        event.add("uid", f"{item.key}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        if item.kind == "task":
            # A claim-plan task is due on a day: an all-day event, marked as a task.
            event.add("dtstart", item.at.date())
            event.add("dtend", item.at.date() + timedelta(days=1))
            event.add("summary", _("Task: {name}").format(name=item.topic))
        else:
            event.add("dtstart", item.at)
            end = (item.end if item.end is not None and item.end > item.at
                   else item.at + DEFAULT_LENGTH)
            event.add("dtend", end)
            event.add("summary", item.topic)
        kind, key = item.record
        details = [key if kind == "interaction" else _("Claim {key}").format(key=key)]
        if item.partner_name:
            details.append(_("Partner: {name}").format(name=item.partner_name))
        if item.text:
            details.append(item.text)
        event.add("description", "\n".join(details))
        if item.place:
            event.add("location", item.place)
        event.add("categories", [item.kind])
        calendar.add_component(event)
    return calendar


def export_ics(db: Database, start: datetime, end: datetime,
               manager_login: str | None = None, limit: int = 100_000) -> bytes:
    """The in-progress interactions and open tasks of [start, end) as an .ics file's bytes."""
    with db.read() as session:
        items = calendar_items(session, start, end, manager_login, limit=limit)
    return build_calendar(items).to_ical()


def write_ics(path: str, data: bytes) -> None:
    """Write the file atomically (a temporary file renamed over the target)."""
    from crm_tui.atomic import replacing

    with replacing(path) as temporary:
        temporary.write_bytes(data)
