"""Pilot: the claim form's date fields in Russian (issue 22 §4): 15.01.2026 10:30 shown,
31.12.25 09:15 and a plan's 31.12.27 typed key by key."""

from __future__ import annotations

from datetime import date, datetime

from textual.widgets import DataTable, Input

from crm_tui.app import CrmApp
from crm_tui.screens.claims.form import ClaimFormScreen
from crm_tui.screens.claims.plan import ClaimPlan
from crm_tui.store import repo_claims as repo
from crm_tui.widgets.partner_picker import PartnerPicker
from tests.functional.claims.helpers import SIZE, prepare, wait_until
from tests.functional.claims.test_form import claims, fill, open_form
from tests.support.screen import wait_for_database

KEYS = {".": "full_stop", " ": "space", ":": "colon"}


def keys(text: str) -> list[str]:
    return [KEYS.get(char, char) for char in text]


async def test_claim_dates_in_russian(db_url: str, fixed_now: datetime) -> None:
    prepare(db_url)
    app = CrmApp(db_url, language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        screen = await open_form(pilot, ClaimFormScreen(partner_key="P1", source="partner"))
        await wait_until(pilot, lambda: screen.query_one(PartnerPicker).partner_name == "Acme")
        registered = screen.query_one("#claim-registered", Input)
        assert registered.value == fixed_now.strftime("%d.%m.%Y %H:%M")
        await fill(pilot, screen)
        registered.value = ""
        registered.focus()
        await pilot.press(*keys("31.12.25 09:15"))
        plan = screen.query_one(ClaimPlan)
        plan.query_one(DataTable).focus()
        await pilot.press("n", *"Call client")
        plan.query_one("#plan-description", Input).value = "Ask about the delivery"
        plan.query_one("#plan-due", Input).focus()
        await pilot.press(*keys("31.12.27"), "enter")
        await wait_until(pilot, lambda: len(plan.tasks) == 1)
        assert plan.tasks[0].due == date(2027, 12, 31)
        assert "31.12.2027" in str(plan.query_one(DataTable).get_row_at(0))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(claims(app)))
        with app.db.read() as session:  # type: ignore[union-attr]
            view = repo.get_claim(session, claims(app)[0][0])
        assert view.registered_at == datetime(2025, 12, 31, 9, 15)
