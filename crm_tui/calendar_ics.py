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
    """One VEVENT per interaction; times are floating local times, like the database's."""
    stamp = now or clock.now()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Event calendar"))
    for item in items:
        event = Event()
        event.add("uid", f"{item.key}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.at)
        end = item.end if item.end is not None and item.end > item.at else item.at + DEFAULT_LENGTH
        event.add("dtend", end)
        event.add("summary", item.topic)
        details = [f"{item.key}"]
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
    """The in-progress interactions of [start, end) as an .ics file's bytes."""
    with db.read() as session:
        items = calendar_items(session, start, end, manager_login, limit=limit)
    return build_calendar(items).to_ical()


def write_ics(path: str, data: bytes) -> None:
    """Write the file atomically (a temporary file renamed over the target)."""
    from crm_tui.atomic import replacing

    with replacing(path) as temporary:
        temporary.write_bytes(data)
