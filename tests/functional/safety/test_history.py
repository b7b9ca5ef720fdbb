"""HistoryScreen: a record's change history as a table of plain text cells."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from crm_tui.app import CrmApp
from crm_tui.screens.shell.history import HistoryScreen
from crm_tui.store import audit
from crm_tui.store.database import Database
from tests.functional.safety.helpers import SIZE, assert_alive, assert_no_escape, start
from tests.support.login import set_login_for_tests
from tests.support.screen import screen_text, wait_until


async def test_history_shows_changes_newest_first(db_url: str, fixed_now: object) -> None:
    db = Database.open(db_url)
    set_login_for_tests("petrova")
    with db.write() as session:
        audit.record(session, "partner", "P-000001", "insert", {"name": (None, "Альфа")})
    with db.write() as session:
        audit.record(session, "partner", "P-000001", "update",
                     {"name": ("Альфа", "[@click=app.quit]x[/]"),
                      "comment": ("\x1b]52;c;aGk=\x07", "a[/b]c")})
    with db.write() as session:
        audit.record(session, "partner", "P-000002", "delete")
    db.close()
    set_login_for_tests(None)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        app.push_screen(HistoryScreen("partner", "P-000001"))
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen)
                         and app.screen.loaded)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        cells = [table.get_row_at(index) for index in range(3)]
        assert all(isinstance(cell, Text) for row in cells for cell in row)
        assert [str(row[2]) for row in cells] == ["changed", "changed", "created"]
        assert {str(row[3]) for row in cells[:2]} == {"Name", "Comment"}
        # The rows are in the table; on a loaded machine the table draws them a frame or
        # two later than the status line, which already shows the highlighted change.
        expected = ("Change history: P-000001", "[@click=app.quit]x[/]", "a[/b]c", "petrova",
                    "2026-01-15 10:30:00")
        await wait_until(pilot, lambda: all(part in screen_text(app) for part in expected),
                         what="every change drawn")
        shown = screen_text(app)
        assert "Change history: P-000001" in shown
        assert "[@click=app.quit]x[/]" in shown and "a[/b]c" in shown
        assert "petrova" in shown and "2026-01-15 10:30:00" in shown
        assert_no_escape(app)
        await pilot.click(DataTable, offset=(5, 2))  # clicking a hostile cell runs nothing
        await pilot.press("down", "down", "up")
        await pilot.pause()
        assert_alive(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HistoryScreen))
        assert not isinstance(app.screen, HistoryScreen)


async def test_history_of_record_without_changes(db_url: str) -> None:
    app = CrmApp(db_url, language="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        app.push_screen(HistoryScreen("deal", "D-404"))
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen)
                         and app.screen.loaded)
        await wait_until(pilot, lambda: "D-404" in screen_text(app), what="the title drawn")
        assert_alive(app)
