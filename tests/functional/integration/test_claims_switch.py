"""Cross-screen: with claims switched off in settings, the Claims section shows no claims and
refuses new ones, and so do the partner card and the inbox; switching them on in the
settings screen brings them back."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.widgets import OptionList

from crm_tui.app import CrmApp
from crm_tui.screens.claims.list import ClaimsScreen
from crm_tui.screens.interactions.inbox import InboxScreen
from crm_tui.screens.partners.card import PartnerCardScreen
from crm_tui.screens.partners.list import PartnersScreen
from crm_tui.screens.settings.settings import SettingsScreen
from crm_tui.widgets.virtual_list import VirtualList
from tests.functional.integration.helpers import (
    SIZE,
    alive,
    go,
    list_ready,
    prepare,
    push_and_wait,
    put_cursor_on,
    query,
    start,
    wait_until,
)
from tests.support.screen import screen_text, settle

OFF = "customer claims are switched off in settings"


@pytest.fixture
def url(db_url: str, fixed_now: datetime) -> str:
    prepare(db_url, claims_enabled=False)
    return db_url


def refused(app: CrmApp) -> bool:
    return any(OFF in str(n.message) for n in app._notifications)


def clear_notices(app: CrmApp) -> None:
    app.clear_notifications()


def claim_count(url: str) -> int:
    return int(query(url, "SELECT count(*) FROM claim")[0][0])


async def test_claims_off_everywhere(url: str) -> None:
    app = CrmApp(url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        # the section: no claims shown, "new" refused
        claims = await go(pilot, "5", ClaimsScreen)
        await wait_until(pilot, lambda: claims.enabled is False, what="claims off")
        assert "CL1" not in screen_text(app)
        await pilot.press("n")
        await wait_until(pilot, lambda: refused(app), what="new claim refused in the section")
        assert app.screen is claims
        clear_notices(app)

        # the partner card: Ctrl+K refused, nothing created
        partners = await go(pilot, "1", PartnersScreen)
        await put_cursor_on(pilot, partners.query_one(VirtualList), "P1")
        card = await push_and_wait(pilot, ("enter",), PartnerCardScreen)
        await wait_until(pilot, lambda: card.view is not None, what="card loaded")
        await pilot.press("ctrl+k")
        await wait_until(pilot, lambda: refused(app) and app.screen is card,
                         what="new claim refused on the card")
        clear_notices(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is partners, what="back on the list")

        # the partner list: Ctrl+K refused too
        await settle(pilot)
        await pilot.press("ctrl+k")
        await wait_until(pilot, lambda: refused(app) and app.screen is partners,
                         what="new claim refused on the partner list")
        clear_notices(app)

        # the inbox: "c" (claim from an interaction) refused
        inbox = await go(pilot, "3", InboxScreen)
        listing = inbox.query_one(VirtualList)
        await list_ready(pilot, listing)
        await put_cursor_on(pilot, listing, "I2")
        await pilot.press("c")
        await wait_until(pilot, lambda: refused(app) and app.screen is inbox,
                         what="claim from an interaction refused in the inbox")
        alive(app)
    assert claim_count(url) == 1
    assert query(url, "SELECT subject_claim_id FROM interaction WHERE key = 'I2'") == [(None,)]


async def test_switching_claims_on_in_settings_brings_them_back(url: str) -> None:
    app = CrmApp(url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        claims = await go(pilot, "5", ClaimsScreen)
        await wait_until(pilot, lambda: claims.enabled is False, what="claims off")
        settings = await go(pilot, "8", SettingsScreen)
        await wait_until(pilot, lambda: settings.loaded and settings.admin,
                         what="settings editable")
        menu = settings.query_one("#settings-list", OptionList)
        assert "Off" in str(menu.get_option("claims_enabled").prompt)
        menu.highlighted = menu.get_option_index("claims_enabled")
        await pilot.press("enter")
        await wait_until(pilot, lambda: query(
            url, "SELECT value FROM setting WHERE key = 'claims_enabled'") == [("true",)],
            what="the switch saved")
        await settle(pilot)
        await go(pilot, "5", ClaimsScreen)
        await wait_until(pilot, lambda: claims.enabled is True, what="claims on again")
        await list_ready(pilot, claims.query_one(VirtualList))
        await wait_until(pilot, lambda: "CL1" in screen_text(app),
                         what="the claim listed")
        alive(app)
