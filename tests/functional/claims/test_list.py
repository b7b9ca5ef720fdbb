"""The claims section: list with progress and next task, filters, settings switch."""

from __future__ import annotations

from datetime import datetime

from crm_tui.app import CrmApp
from crm_tui.store.database import Database
from crm_tui.store.settings import set_setting
from crm_tui.widgets.virtual_list import VirtualList
from tests.functional.claims.helpers import SIZE, prepare, wait_text, wait_until
from tests.support.screen import screen_text, wait_for_database
from tests.unit.claims.helpers import HOSTILE, claim_record


async def test_list_shows_progress_next_task_and_hostile_names(
        db_url: str, fixed_now: datetime) -> None:
    prepare(db_url, claim_record("CL-1", tasks=[
        {"name": "Ship again", "description": "", "due": "2026-01-10", "done": False},
        {"name": "Apologise", "description": "", "done": True},
    ]), claim_record("CL-2", reason="defect", registered_at="2026-01-12T09:00"),
        partner_name=HOSTILE)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        await pilot.press("5")
        await wait_text(pilot, "CL-1")
        text = screen_text(app)
        assert "[/]Evil [@click=app.quit]x[/]" in text
        assert "1 of 2" in text and "2026-01-10 Ship again" in text
        listing = app.screen.query_one(VirtualList)
        assert listing.row_at(1) is not None and listing.row_at(1).style == "overdue"
        assert "Claims: 2" in text
        # filters: reason = defect
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#filter-reason").value = "defect"
        await wait_until(pilot, lambda: listing.row_count == 1)
        assert listing.row_at(0) is None or listing.row_at(0).key == "CL-2"
        app.screen.query_one("#filter-reason").clear()
        app.screen.query_one("#filter-from").value = "2026-01-11"
        await wait_until(pilot, lambda: listing.row_count == 1)
        app.screen.query_one("#filter-from").value = ""
        app.screen.query_one("#filter-posted").value = "yes"
        await wait_until(pilot, lambda: listing.row_count == 0)
        await pilot.press("escape")
        assert app.is_running


async def test_settings_switch_hides_claims(db_url: str, fixed_now: datetime) -> None:
    prepare(db_url, claim_record("CL-1"))
    database = Database.open(db_url)
    with database.write() as session:
        set_setting(session, "claims_enabled", False)
    database.close()
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        await pilot.press("5")
        await wait_text(pilot, "switched off in settings")
        assert "CL-1" not in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "ClaimsScreen"
        # a form opened from elsewhere refuses too
        from crm_tui.screens.claims.form import ClaimFormScreen

        app.push_screen(ClaimFormScreen(partner_key="P1", source="partner"))
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ClaimsScreen")
