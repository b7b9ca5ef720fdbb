"""Pilot: the deal form's primary demand lines — item with completion from items asked for
before, quantity × price as the amount, met or an unmet-demand reason, saved as lines."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Checkbox, Input, OptionList, Select, Static

from crm_tui.app import CrmApp
from crm_tui.domain.deals import DemandLine
from crm_tui.screens.deals.form import DealFormScreen
from crm_tui.store.database import Database
from crm_tui.store.repo_deals_form import load_deal
from tests.support.screen import screen_text, wait_until
from tests.unit.deals.data import seed


async def test_lines_added_with_completion_and_saved(db_url: str, fixed_now: object) -> None:
    from tests.support.login import set_login_for_tests

    database = Database.open(db_url)
    seed(database, [{"type": "deal", "id": "D9", "name": "Earlier", "partner": "P1",
                     "kind": "longterm", "manager": "ivanov", "amount": "1.00",
                     "created_at": "2026-01-02T09:00:00", "status": "open", "stages": [],
                     "demand_lines": [{"item": "Pipe DN50", "met": True}]}])
    database.close()
    set_login_for_tests("ivanov")
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app.db is not None)
        form = DealFormScreen("D5")
        await app.push_screen(form)
        await wait_until(pilot, lambda: form.detail is not None and form.choices is not None)
        form.query_one("TabbedContent").active = "tab-demand"  # type: ignore[attr-defined]
        await pilot.pause()
        item = form.query_one("#demand-item", Input)
        item.focus()
        await pilot.press("p", "i")
        # the completion shows in the field before it is taken
        await wait_until(pilot, lambda: "pipe DN50" in screen_text(app))
        await pilot.press("right")  # takes the completion
        assert item.value == "Pipe DN50"
        form.query_one("#demand-quantity", Input).value = "4"
        form.query_one("#demand-price", Input).value = "1 250,50"
        form.query_one("#add-demand").press()  # type: ignore[attr-defined]
        await pilot.pause()
        error = str(form.query_one("#err-demand", Static).render())
        assert "unmet-demand reason" in error
        form.query_one("#demand-reason", Select).value = "stock"
        form.query_one("#add-demand").press()  # type: ignore[attr-defined]
        await pilot.pause()
        assert item.value == ""  # ready for the next line
        item.value = "Valve"
        form.query_one("#demand-met", Checkbox).value = True
        await pilot.pause()
        assert form.query_one("#demand-reason", Select).disabled
        form.query_one("#add-demand").press()  # type: ignore[attr-defined]
        await pilot.pause()
        shown = [str(o.prompt) for o in form.query_one("#demand", OptionList).options]
        assert shown == ["✗ Pipe DN50  4 × 1,250.50 = 5,002.00 — Out of stock", "✓ Valve"]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, DealFormScreen))
    database = Database.open(db_url)
    with database.read() as s:
        demand = load_deal(s, "D5").draft.demand
    database.close()
    assert demand == (
        DemandLine("stock", "", Decimal("5002.00"), "Pipe DN50", Decimal("4"),
                   Decimal("1250.50")),
        DemandLine(None, "", None, "Valve", None, None, True),
    )
