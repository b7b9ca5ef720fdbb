"""Shared pieces of the cross-screen Pilot tests: a small hand-made database, starting the
app, waiting on real conditions (never on a fixed time) and reading the database back."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text
from textual.pilot import Pilot

from crm_tui.app import CrmApp
from crm_tui.exchange.importer import import_lines
from crm_tui.exchange.seed import seed_classifiers
from crm_tui.store.database import Database
from crm_tui.store.users import ensure_current_user
from crm_tui.widgets.virtual_list import VirtualList
from tests.support.login import set_login_for_tests
from tests.support.screen import settle, wait_for_database, wait_until

SIZE = (120, 36)
HOSTILE = "[@click=app.quit]x[/] [/]"
ESCAPE_NAME = "\x1b]52;c;YQ==\x07 Escape Ltd"

RECORDS: list[dict[str, Any]] = [
    {"type": "region", "code": "MSK", "name": "Moscow"},
    {"type": "stage", "code": "lead", "name": "Lead", "order": 10},
    {"type": "stage", "code": "offer", "name": "Offer", "order": 20},
    {"type": "deal_kind", "code": "typical", "name": "Typical sale", "stage_control": "manual",
     "stages": ["lead", "offer"]},
    {"type": "claim_reason", "code": "late", "name": "Late delivery"},
    {"type": "loss_reason", "code": "price", "name": "Too expensive"},
    {"type": "price_type", "code": "wholesale", "name": "Wholesale"},
    {"type": "user", "login": "boss", "name": "Boss Admin"},
    {"type": "user", "login": "ivanov", "name": "Ivanov I."},
    {"type": "partner", "id": "P1", "name": "Alpha Trade", "region": "MSK",
     "roles": ["client"], "manager": "boss"},
    {"type": "partner", "id": "P2", "name": HOSTILE, "roles": ["client"], "manager": "boss"},
    {"type": "contact", "id": "K1", "partner": "P1", "name": "Anna Contact"},
    {"type": "agreement", "id": "A1", "kind": "typical", "name": "Standard terms",
     "price_type": "wholesale", "payment_schedule": [{"percent": 100, "days": 10}],
     "valid_from": "2025-01-01", "status": "active"},
    {"type": "deal", "id": "D1", "name": "Pipes order", "partner": "P1", "kind": "typical",
     "manager": "boss", "amount": "1500.00", "created_at": "2026-01-02T10:00:00",
     "status": "open", "stages": [{"stage": "lead", "at": "2026-01-02T10:00:00"}]},
    {"type": "deal", "id": "D2", "name": HOSTILE, "partner": "P2", "kind": "typical",
     "manager": "boss", "amount": "700.00", "created_at": "2026-01-03T10:00:00",
     "status": "open", "stages": [{"stage": "lead", "at": "2026-01-03T10:00:00"}]},
    {"type": "claim", "id": "CL1", "partner": "P1", "reason": "late",
     "registered_at": "2026-01-04T10:00:00", "description": "Came a week late",
     "manager": "boss", "status": "open", "posted": False, "source": "list", "tasks": []},
    {"type": "interaction", "id": "I1", "kind": "call", "topic": "Call about pipes",
     "at": "2026-01-10T10:00:00", "status": "in_progress", "partner": "P1",
     "manager": "boss", "subject": {"deal": "D1"}},
    {"type": "interaction", "id": "I2", "kind": "call", "topic": "Complaint call",
     "at": "2026-01-12T10:00:00", "status": "in_progress", "partner": "P1",
     "manager": "boss"},
    {"type": "interaction", "id": "I3", "kind": "call", "topic": "Claim follow-up",
     "at": "2026-01-13T10:00:00", "status": "in_progress", "partner": "P1",
     "manager": "boss", "subject": {"claim": "CL1"}},
    {"type": "interaction", "id": "I4", "kind": "call", "topic": HOSTILE,
     "at": "2026-01-14T10:00:00", "status": "in_progress", "partner": "P2",
     "manager": "boss"},
]


def prepare(url: str, *, claims_enabled: bool = True) -> None:
    """Classifiers, the records above, an escape-sequence partner name written behind the
    importer's back, and the current user 'boss' as the administrator."""
    database = Database.open(url)
    try:
        seed_classifiers(database, "en")
        import_lines(database, [json.dumps(r, ensure_ascii=False) for r in RECORDS])
        set_login_for_tests("boss")
        with database.write() as session:
            ensure_current_user(session)
            session.execute(text("UPDATE app_user SET role = 'admin' WHERE login = 'boss'"))
            session.execute(text("UPDATE partner SET name = :name WHERE key = 'P2'"),
                            {"name": ESCAPE_NAME + " " + HOSTILE})
        if not claims_enabled:
            from crm_tui.store.settings import save_settings

            with database.write() as session:
                save_settings(session, {"claims_enabled": False})
    finally:
        database.close()


def query(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of a read-only SQL query against the database at `url` (test assertions only)."""
    database = Database.open(url)
    try:
        with database.read() as session:
            return [tuple(row) for row in session.execute(text(sql), params)]
    finally:
        database.close()


async def start(pilot: Pilot[Any]) -> CrmApp:
    """Wait for the database, then for the first section's workers."""
    app = pilot.app
    assert isinstance(app, CrmApp)
    await wait_for_database(pilot, timeout=60)
    await settle(pilot, timeout=60)
    return app


async def go(pilot: Pilot[Any], key: str, screen_class: type) -> Any:
    """Press a section key and wait until its screen shows with its data loaded."""
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen_class),
                     what=f"{screen_class.__name__} shown")
    await settle(pilot, timeout=60)
    return pilot.app.screen


async def push_and_wait(pilot: Pilot[Any], keys: tuple[str, ...], screen_class: type) -> Any:
    """Press `keys` and wait until a screen of `screen_class` is on top and settled."""
    await pilot.press(*keys)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen_class),
                     what=f"{screen_class.__name__} shown")
    await settle(pilot, timeout=60)
    return pilot.app.screen


async def list_ready(pilot: Pilot[Any], widget: VirtualList) -> None:
    """Wait until the list has counted its rows and fetched the visible ones."""
    await wait_until(pilot, lambda: widget.row_count is not None and (
        widget.row_count == 0 or widget.row_at(0) is not None), what="list loaded")


async def put_cursor_on(pilot: Pilot[Any], widget: VirtualList, key: object) -> None:
    """Move the list's cursor to the row whose key is (or starts with) `key`."""
    await list_ready(pilot, widget)
    for index in range(widget.row_count or 0):
        row = widget.row_at(index)
        if row is not None and (row.key == key or (isinstance(row.key, tuple)
                                                   and row.key[0] == key)):
            widget.focus()
            widget.cursor = index
            await pilot.pause()
            return
    raise AssertionError(f"no row {key!r} in the list")


def alive(app: CrmApp) -> None:
    """The app still runs and has recorded no exception."""
    assert app.is_running, "the app quit"
    assert app._exception is None, app._exception
