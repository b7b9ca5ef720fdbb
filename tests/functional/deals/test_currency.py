"""The setting currency is shown with the deals' amounts: the board's column sums and the
deal form's amount field."""

from __future__ import annotations

from textual.widgets import Label

from crm_tui.app import CrmApp
from crm_tui.screens.deals.form import DealFormScreen
from crm_tui.store.database import Database
from crm_tui.store.settings import set_setting
from crm_tui.widgets.kanban import KanbanBoard
from tests.functional.deals.conftest import open_deals
from tests.support.screen import wait_until


async def test_amounts_name_the_company_currency(deals_url: str) -> None:
    database = Database.open(deals_url)
    with database.write() as s:
        set_setting(s, "currency", "USD")
    database.close()
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_deals(app, pilot)
        board = app.screen.query_one(KanbanBoard)

        def header() -> str:
            column = board.column(0)
            return "\n".join(column.plain_lines()) if column is not None else ""

        await wait_until(pilot, lambda: "1,500,000.00 USD" in header(), what="USD on the board")
        assert header().splitlines()[1].startswith("1 · 1,500,000.00 USD")
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, DealFormScreen))
        label = app.screen.query_one("#amount-label", Label)
        await wait_until(pilot, lambda: "USD" in str(label.render()), what="USD in the form")
        assert str(label.render()) == "Amount, USD"
