"""Live refresh: another session's commit shows on the open screen within 2 s."""

from __future__ import annotations

import asyncio
import re
import threading

from sqlalchemy import text

from crm_tui.app import CrmApp
from crm_tui.store.database import Database
from crm_tui.widgets.virtual_list import VirtualList
from tests.functional.safety.helpers import SIZE, assert_alive, start
from tests.support.screen import screen_text, settle, wait_until
from tests.unit.safety.data import load_base


def _insert_partners_elsewhere(url: str, count: int, start_at: int) -> None:
    """Another user's session: its own Database object, in another thread."""
    def write() -> None:
        other = Database.open(url)
        try:
            with other.write() as session:
                for number in range(start_at, start_at + count):
                    session.execute(text("INSERT INTO partner (key, name, roles, version) "
                                         "VALUES (:key, :name, 1, 1)"),
                                    {"key": f"PX{number}", "name": f"Zeta {number:03d}"})
        finally:
            other.close()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(timeout=30)


def _watching(app: CrmApp) -> bool:
    """The change watcher has taken its baseline: a commit from now on will be noticed."""
    watcher = app._watcher
    return watcher is not None and watcher._last is not None


def _partners(app: CrmApp) -> int | None:
    """The partner count the home screen shows, or None while it is loading."""
    match = re.search(r"(\d+)\s+partners\b", screen_text(app))
    return int(match.group(1)) if match else None


async def test_home_shows_another_sessions_change_within_two_seconds(db_url: str) -> None:
    db = Database.open(db_url)
    load_base(db)
    db.close()
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await wait_until(pilot, lambda: _partners(app) == 1, what="1 partner on Home")
        await wait_until(pilot, lambda: _watching(app), what="watching the database")
        _insert_partners_elsewhere(db_url, 2, 1)
        loop = asyncio.get_running_loop()
        started = loop.time()
        await wait_until(pilot, lambda: _partners(app) == 3, timeout=10, what="3 partners")
        # 1 s polling + a reload: 2 s, plus slack for a loaded 2-core test machine
        assert loop.time() - started < 3.0
        assert_alive(app)


async def test_list_refreshes_keeping_the_cursor(db_url: str) -> None:
    db = Database.open(db_url)
    load_base(db)
    db.close()
    _insert_partners_elsewhere(db_url, 10, 100)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("1")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "PartnersScreen")
        await settle(pilot)
        lists = [w for w in app.screen.query(VirtualList) if w.display]
        assert lists, "the Partners screen shows no list"
        partners = lists[0]
        await wait_until(pilot, lambda: (partners.row_count or 0) >= 11, what="11 partners")
        partners.focus()
        await pilot.press("down", "down", "down")
        await wait_until(pilot, lambda: partners.highlighted_row is not None)
        cursor, row = partners.cursor, partners.highlighted_row
        assert row is not None and cursor == 3
        await wait_until(pilot, lambda: _watching(app), what="watching the database")
        await settle(pilot)
        _insert_partners_elsewhere(db_url, 1, 999)  # "Zeta 999" sorts after the others
        await wait_until(pilot, lambda: (partners.row_count or 0) >= 12, timeout=6,
                         what="the other session's partner in the list")
        await wait_until(pilot, lambda: partners.highlighted_row is not None)
        assert partners.cursor == cursor
        assert partners.highlighted_row is not None
        assert partners.highlighted_row.key == row.key
        assert_alive(app)
