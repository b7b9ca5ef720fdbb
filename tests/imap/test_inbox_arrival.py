"""Pilot: mail fetched in the background shows in the open inbox."""

from __future__ import annotations

from datetime import datetime

from crm_tui.app import CrmApp
from crm_tui.screens.interactions.inbox import InboxScreen
from crm_tui.store.database import Database
from crm_tui.widgets.virtual_list import VirtualList
from tests.imap.conftest import Mailbox
from tests.imap.test_fetch import CONTACT, message
from tests.support.screen import screen_text, wait_for_database, wait_until
from tests.unit.interactions.helpers import load


async def test_fetched_mail_arrives_in_the_open_inbox(db: Database, db_url: str,
                                                      fixed_now: datetime,
                                                      mailbox: Mailbox) -> None:
    load(db, CONTACT)
    app = CrmApp(db_url, language="en")
    app.mail_poll_s = 0.5
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_database(pilot)
        await pilot.press("3")
        await wait_until(pilot, lambda: isinstance(app.screen, InboxScreen))
        listing = app.screen.query_one(VirtualList)
        await wait_until(pilot, lambda: listing.row_count == 0, what="an empty inbox")
        mailbox.deliver(message("Invoice please"),
                        message("\x1b[2J[red]Prize[/red]", sender="who@spam.example"))
        await wait_until(pilot, lambda: listing.row_count == 2, timeout=30,
                         what="the fetched mail in the inbox")
        await wait_until(pilot, lambda: "Invoice please" in screen_text(app))
        shown = screen_text(app)
        assert "Alpha Trade" in shown  # matched to the contact's partner
        assert "unknown sender" in shown
        assert "[red]Prize[/red]" in shown  # markup shown literally
        assert "\x1b" not in shown
