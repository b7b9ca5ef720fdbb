"""Issue 21.5: a report panel's period at the ends of the calendar does not crash."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input

from crm_tui.app import CrmApp
from crm_tui.reports.registry import available_reports
from tests.functional.reports_ui.conftest import open_app
from tests.functional.reports_ui.test_report_panels import open_report
from tests.support.screen import wait_until


@pytest.mark.parametrize("name", ["claim-dynamics", "funnel"])
async def test_period_to_the_last_day_of_the_calendar(small_url: str, name: str) -> None:
    position = [info.name for info in available_reports()].index(name)
    app = CrmApp(small_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        panel = await open_report(pilot, app, position)
        panel.query_one("#f-from", Input).value = "9999-01-01"
        panel.query_one("#f-to", Input).value = "9999-12-31"
        panel.query_one("#f-to", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: panel.result is not None
                       and panel.result.params.get("to") == "9999-12-31")
        assert panel._requested is not None and panel._requested.date_to == date.max
        if name == "claim-dynamics":
            assert [row["month"] for row in panel.result.rows][-1] == "9999-12"
        assert app.is_running
