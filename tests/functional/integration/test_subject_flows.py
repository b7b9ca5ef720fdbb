"""Cross-screen: subjects and chains. A deal's new interaction joins its chain; the inbox opens
an interaction's subject and makes a claim of an interaction (which joins the claim's
chain); a follow-up keeps the chain; a report drill-down opens a deal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Select, Static

from crm_tui.app import CrmApp
from crm_tui.screens.claims.form import ClaimFormScreen
from crm_tui.screens.deals.board import DealsScreen
from crm_tui.screens.deals.form import DealFormScreen
from crm_tui.screens.interactions.form import InteractionFormScreen
from crm_tui.screens.interactions.inbox import InboxScreen
from crm_tui.screens.interactions.subject_chain import SubjectChainScreen
from crm_tui.screens.reports.drilldown import ReportDrilldownScreen
from crm_tui.screens.reports.list import ReportsScreen
from crm_tui.screens.reports.panel import ReportPanelScreen
from crm_tui.store.database import Database
from crm_tui.widgets.kanban import KanbanBoard
from crm_tui.widgets.virtual_list import VirtualList
from tests.conftest import small_jsonl_path
from tests.functional.integration.helpers import (
    SIZE,
    alive,
    go,
    list_ready,
    push_and_wait,
    put_cursor_on,
    query,
    start,
    wait_until,
)
from tests.support.screen import screen_text, settle


def subject_of(url: str, topic: str) -> tuple[Any, ...]:
    """(deal key, claim key, interaction key) of the interaction with `topic`."""
    rows = query(url, "SELECT d.key, c.key, s.key FROM interaction i "
                      "LEFT JOIN deal d ON d.id = i.subject_deal_id "
                      "LEFT JOIN claim c ON c.id = i.subject_claim_id "
                      "LEFT JOIN interaction s ON s.id = i.subject_interaction_id "
                      "WHERE i.topic = :t", t=topic)
    assert len(rows) == 1, rows
    return rows[0]


async def find_deal_on_board(pilot: Any, screen: DealsScreen, key: str) -> None:
    """Make `key` the board's current card (cycling the deal kinds if needed)."""
    board = screen.query_one(KanbanBoard)
    for _kind in range(6):
        await wait_until(pilot, lambda: bool(board.columns) and all(
            c.count is not None for c in board.columns), what="board loaded")
        for index, column in enumerate(board.columns):
            if key in [card.key for card in column.cards]:
                board.focus()
                board.focus_column(index, key)
                await pilot.pause()
                assert board.current_card is not None and board.current_card.key == key
                return
        await pilot.press("k")
        await settle(pilot)
    raise AssertionError(f"deal {key} is not on the board")


async def open_inbox(pilot: Any) -> tuple[InboxScreen, VirtualList]:
    inbox = await go(pilot, "3", InboxScreen)
    listing = inbox.query_one(VirtualList)
    await list_ready(pilot, listing)
    return inbox, listing


async def test_deal_interaction_joins_the_deals_chain(url: str) -> None:
    app = CrmApp(url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        deals = await go(pilot, "2", DealsScreen)
        await find_deal_on_board(pilot, deals, "D1")
        form = await push_and_wait(pilot, ("o",), DealFormScreen)
        await wait_until(pilot, lambda: form.detail is not None, what="deal loaded")
        assert form.deal_key == "D1"
        interaction = await push_and_wait(pilot, ("ctrl+n",), InteractionFormScreen)
        assert (interaction.subject.kind, interaction.subject.key) == ("deal", "D1")
        assert "Pipes order" in screen_text(app)  # the subject's title
        interaction.query_one("#if-topic", Input).value = "Price talk"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is form, what="back on the deal")
        await settle(pilot)
        await wait_until(pilot, lambda: "Price talk" in str(
            form.query_one("#chain", Static).render()), what="interaction in the deal's chain")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is deals, what="back on the board")
        alive(app)
    assert subject_of(url, "Price talk") == ("D1", None, None)
    topics = [row[0] for row in query(
        url, "SELECT i.topic FROM interaction i JOIN deal d ON d.id = i.subject_deal_id "
             "WHERE d.key = 'D1' ORDER BY i.at, i.id")]
    assert topics == ["Call about pipes", "Price talk"]


async def test_inbox_opens_the_subject_deal_and_claim(url: str) -> None:
    app = CrmApp(url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        inbox, listing = await open_inbox(pilot)
        await put_cursor_on(pilot, listing, "I1")  # subject: deal D1
        deal = await push_and_wait(pilot, ("o",), DealFormScreen)
        assert deal.deal_key == "D1"
        await wait_until(pilot, lambda: deal.detail is not None, what="deal loaded")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is inbox, what="back in the inbox")
        await settle(pilot)
        await put_cursor_on(pilot, listing, "I3")  # subject: claim CL1
        claim = await push_and_wait(pilot, ("o",), ClaimFormScreen)
        assert claim.claim_key == "CL1"
        await wait_until(pilot, lambda: "Came a week late" in screen_text(app),
                         what="the claim shown")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is inbox, what="back in the inbox")
        # the chain of the claim from the inbox
        await settle(pilot)
        await put_cursor_on(pilot, listing, "I3")
        chain = await push_and_wait(pilot, ("h",), SubjectChainScreen)
        await list_ready(pilot, chain.query_one(VirtualList))
        assert "Claim follow-up" in screen_text(app)
        alive(app)


async def test_claim_from_inbox_interaction_joins_its_chain(url: str) -> None:
    app = CrmApp(url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        inbox, listing = await open_inbox(pilot)
        await put_cursor_on(pilot, listing, "I2")  # no subject yet
        form = await push_and_wait(pilot, ("c",), ClaimFormScreen)
        await wait_until(pilot, lambda: not form._loading, what="claim form loaded")
        assert form.source == "interaction" and form.interaction_key == "I2"
        assert "Complaint call" in screen_text(app)  # the description starts from the topic
        form.query_one("#claim-reason", Select).value = "late"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: form.claim_key is not None and not form.dirty,
                         what="claim saved")
        await settle(pilot)
        key = form.claim_key
        chain = await push_and_wait(pilot, ("f7",), SubjectChainScreen)
        await list_ready(pilot, chain.query_one(VirtualList))
        await wait_until(pilot, lambda: "Complaint call" in screen_text(app),
                         what="the interaction in the claim's chain")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is form, what="back on the claim")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is inbox, what="back in the inbox")
        alive(app)
    assert subject_of(url, "Complaint call") == (None, key, None)
    assert query(url, "SELECT c.source, p.key FROM claim c JOIN partner p "
                      "ON p.id = c.partner_id WHERE c.key = :k", k=key) == [("interaction", "P1")]


async def test_follow_up_keeps_the_chain(url: str) -> None:
    app = CrmApp(url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        inbox, listing = await open_inbox(pilot)
        # from the inbox: a follow-up of I1 (subject deal D1)
        await put_cursor_on(pilot, listing, "I1")
        form = await push_and_wait(pilot, ("u",), InteractionFormScreen)
        assert form.follow_up_of == "I1"
        form.query_one("#if-topic", Input).value = "Follow-up from the inbox"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is inbox, what="back in the inbox")
        await settle(pilot)
        # from the claim's chain: a follow-up of I3 (subject claim CL1)
        await put_cursor_on(pilot, listing, "I3")
        chain = await push_and_wait(pilot, ("h",), SubjectChainScreen)
        chain_list = chain.query_one(VirtualList)
        await put_cursor_on(pilot, chain_list, "I3")
        form = await push_and_wait(pilot, ("u",), InteractionFormScreen)
        form.query_one("#if-topic", Input).value = "Follow-up from the chain"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is chain, what="back on the chain")
        await settle(pilot)
        await wait_until(pilot, lambda: "Follow-up from the chain" in screen_text(app),
                         what="the follow-up in the chain")
        alive(app)
    assert subject_of(url, "Follow-up from the inbox")[0] == "D1"
    assert subject_of(url, "Follow-up from the chain")[1] == "CL1"


@pytest.fixture
def small_url(db_url: str, fixed_now: datetime) -> str:
    from crm_tui.exchange.importer import import_file

    database = Database.open(db_url)
    try:
        import_file(database, small_jsonl_path())
    finally:
        database.close()
    return db_url


async def test_report_drilldown_opens_a_deal(small_url: str) -> None:
    app = CrmApp(small_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await go(pilot, "7", ReportsScreen)
        await pilot.press("home")
        panel = await push_and_wait(pilot, ("enter",), ReportPanelScreen)  # the funnel
        await wait_until(pilot, lambda: panel.result is not None, what="report computed")
        table = panel.query_one(DataTable)
        table.focus()
        table.move_cursor(row=0, column=2)  # "Reached" of the first stage
        drill = await push_and_wait(pilot, ("enter",), ReportDrilldownScreen)
        await wait_until(pilot, lambda: drill.count is not None, what="drill-down counted")
        assert drill.count and drill.count > 0
        listing = drill.query_one(VirtualList)
        await wait_until(pilot, lambda: listing.highlighted_row is not None,
                         what="a deal highlighted")
        listing.focus()
        deal = await push_and_wait(pilot, ("enter",), DealFormScreen)
        await wait_until(pilot, lambda: deal.detail is not None, what="deal loaded")
        assert deal.deal_key is not None and deal.deal_key.startswith("D")
        assert deal.detail.draft.name in screen_text(app)  # type: ignore[union-attr]
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is drill, what="back on the drill-down")
        alive(app)
