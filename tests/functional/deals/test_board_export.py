"""Pilot: the deals board out to a spreadsheet as a list (Ctrl+X): every card of every
column of the kind and filter shown, its stage first."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import text
from textual.widgets import Input

from crm_tui.app import CrmApp
from crm_tui.store.database import Database
from tests.functional.deals.conftest import open_deals
from tests.support.screen import wait_until


async def test_the_board_as_a_list(deals_url: str, tmp_path: Path) -> None:
    from crm_tui.screens.deals.board import DealsScreen

    target = tmp_path / "board.csv"
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        screen = app.screen
        assert isinstance(screen, DealsScreen) and screen.kind is not None
        kind_id = screen.kind.id
        await pilot.press("ctrl+x")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ExportDialog"
                         and bool(app.screen.query(Input)))
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, target.exists, what="the export")
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Stage", "Deal", "Partner", "Amount", "Manager", "Status", "Days"]
    database = Database.open(deals_url)
    try:
        with database.read() as session:
            expected = sorted(
                (r.stage, r.name) for r in session.execute(text(
                    "SELECT c.name AS stage, d.name FROM deal d JOIN classifier c "
                    "ON c.id = d.stage_id WHERE d.kind_id = :k AND d.status = 'open'"),
                    {"k": kind_id}))
    finally:
        database.close()
    assert sorted((r[0], r[1]) for r in rows[1:]) == expected and expected
