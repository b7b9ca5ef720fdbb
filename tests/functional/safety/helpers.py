"""Shared pieces of the safety Pilot tests: hostile databases, waiting, visiting screens."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from textual.pilot import Pilot
from textual.widgets import DataTable

from crm_tui.app import CrmApp
from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database
from crm_tui.store.users import ensure_current_user
from crm_tui.widgets.virtual_list import VirtualList
from tests.support.screen import screen_text, wait_for_database
from tests.unit.safety.data import ESCAPE_NAMES, hostile_records, lines

SIZE = (120, 36)


def make_hostile_database(url: str) -> None:
    """A database full of markup names, plus escape sequences written behind the
    importer's back (it refuses control characters) to test the display defence."""
    db = Database.open(url)
    try:
        import_lines(db, lines(hostile_records()))
        with db.write() as session:
            ensure_current_user(session)  # the test's OS account, first user: admin
            for number, name in enumerate(ESCAPE_NAMES, 1):
                params = {"name": name, "key": f"PH{number}"}
                session.execute(text("UPDATE partner SET name = :name WHERE key = :key"), params)
                session.execute(text("UPDATE deal SET name = :name WHERE key = :key"),
                                {"name": name, "key": f"DH{number}"})
                session.execute(text("UPDATE claim SET description = :name WHERE key = :key"),
                                {"name": name, "key": f"CLH{number}"})
                session.execute(text("UPDATE interaction SET topic = :name WHERE key = :key"),
                                {"name": name, "key": f"IH{number}"})
                session.execute(text("UPDATE agreement SET name = :name WHERE key = :key"),
                                {"name": name, "key": f"AH{number}"})
            session.execute(text(
                "INSERT INTO change_log (at, user_login, entity, record_key, action, field, "
                "old, new) VALUES ('2026-01-15 10:00:00.000000', :login, 'partner', 'PH5', "
                "'update', 'name', :old, :new)"),
                {"login": "[@click=app.quit]u[/]", "old": ESCAPE_NAMES[0], "new": "[/]"})
    finally:
        db.close()


async def start(app: CrmApp, pilot: Pilot[Any]) -> None:
    await wait_for_database(pilot, timeout=30)


def assert_alive(app: CrmApp) -> None:
    """The app is still running and has not recorded an exception."""
    assert app.is_running, "the app quit"
    assert app._exception is None, app._exception
    assert app.return_code is None


def escape_leaks(app: CrmApp) -> list[str]:
    """Lines of the current screen through which a control character from the data would
    reach the terminal."""
    return [line for line in screen_text(app).splitlines()
            if "\x1b" in line or "\x07" in line or "\x9b" in line]


def assert_no_escape(app: CrmApp) -> None:
    """No control character from the data reaches the terminal."""
    leaked = escape_leaks(app)
    assert not leaked, (type(app.screen).__name__, leaked)


def lists_on_screen(app: CrmApp) -> list[Any]:
    """The visible VirtualLists and DataTables of the current screen."""
    found: list[Any] = []
    for widget in app.screen.query("*"):
        if isinstance(widget, (VirtualList, DataTable)) and widget.display and \
                widget.region.height > 1:
            found.append(widget)
    return found
