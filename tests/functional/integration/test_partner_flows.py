"""Cross-screen: from the partner list and card, create a deal, an interaction, a claim and an
agreement for the partner; the new records show on the card's tabs."""

from __future__ import annotations

from textual.widgets import Input, Select, TabbedContent, TextArea

from crm_tui.app import CrmApp
from crm_tui.screens.agreements.form import AgreementFormScreen
from crm_tui.screens.claims.form import ClaimFormScreen
from crm_tui.screens.deals.form import DealFormScreen
from crm_tui.screens.interactions.form import InteractionFormScreen
from crm_tui.screens.partners.card import PartnerCardScreen
from crm_tui.screens.partners.list import PartnersScreen
from crm_tui.widgets.partner_picker import PartnerPicker
from crm_tui.widgets.virtual_list import VirtualList
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


async def open_card(pilot: object, key: str = "P1") -> PartnerCardScreen:
    """From the partner list, open the card of `key` with Enter."""
    partners = await go(pilot, "1", PartnersScreen)  # type: ignore[arg-type]
    await put_cursor_on(pilot, partners.query_one(VirtualList), key)  # type: ignore[arg-type]
    card = await push_and_wait(pilot, ("enter",), PartnerCardScreen)  # type: ignore[arg-type]
    await wait_until(pilot, lambda: card.view is not None, what="card loaded")  # type: ignore[arg-type]
    assert card.partner_key == key
    return card  # type: ignore[no-any-return]


async def save_and_wait_closed(pilot: object, form: object) -> None:
    await pilot.press("ctrl+s")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: pilot.app.screen is not form,  # type: ignore[attr-defined, arg-type]
                     what="form closed after saving")
    await settle(pilot)  # type: ignore[arg-type]


async def test_deal_from_partner_list(url: str) -> None:
    app = CrmApp(url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        partners = await go(pilot, "1", PartnersScreen)
        await put_cursor_on(pilot, partners.query_one(VirtualList), "P1")
        form = await push_and_wait(pilot, ("ctrl+d",), DealFormScreen)
        await wait_until(pilot, lambda: form.choices is not None, what="deal form loaded")
        assert form.query_one("#partner", PartnerPicker).partner_key == "P1"
        form.query_one("#name", Input).value = "Valves from the list"
        form.query_one("#amount", Input).value = "2500"
        kind = form.query_one("#kind", Select)
        if kind.value == Select.NULL:
            kind.value = "typical"
        await save_and_wait_closed(pilot, form)
        assert app.screen is partners
        alive(app)
    rows = query(url, "SELECT d.name, p.key, d.amount_minor FROM deal d "
                      "JOIN partner p ON p.id = d.partner_id WHERE d.name = :n",
                 n="Valves from the list")
    assert rows == [("Valves from the list", "P1", 250000)]


async def test_card_creates_deal_interaction_claim_agreement(url: str) -> None:
    app = CrmApp(url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        card = await open_card(pilot)

        # a deal
        form = await push_and_wait(pilot, ("ctrl+d",), DealFormScreen)
        await wait_until(pilot, lambda: form.choices is not None, what="deal form loaded")
        assert form.query_one("#partner", PartnerPicker).partner_key == "P1"
        form.query_one("#name", Input).value = "Card deal"
        form.query_one("#amount", Input).value = "10"
        if form.query_one("#kind", Select).value == Select.NULL:
            form.query_one("#kind", Select).value = "typical"
        await save_and_wait_closed(pilot, form)
        assert app.screen is card

        # an interaction
        form = await push_and_wait(pilot, ("ctrl+t",), InteractionFormScreen)
        assert form.query_one(PartnerPicker).partner_key == "P1"
        form.query_one("#if-topic", Input).value = "Card call"
        await save_and_wait_closed(pilot, form)
        assert app.screen is card

        # a claim, source "partner"
        form = await push_and_wait(pilot, ("ctrl+k",), ClaimFormScreen)
        await wait_until(pilot, lambda: not form._loading, what="claim form loaded")
        assert form.source == "partner"
        form.query_one("#claim-reason", Select).value = "late"
        form.query_one("#claim-description", TextArea).text = "Card claim"
        await pilot.press("ctrl+s")  # the claim form stays open on its saved claim
        await wait_until(pilot, lambda: form.claim_key is not None and not form.dirty,
                         what="claim saved")
        await settle(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is card, what="back on the card")

        # an individual agreement for the partner
        form = await push_and_wait(pilot, ("ctrl+g",), AgreementFormScreen)
        await wait_until(pilot, lambda: form.loaded is not None, what="agreement form loaded")
        assert form.query_one(PartnerPicker).partner_key == "P1"
        form.query_one("#name", Input).value = "Card terms"
        await save_and_wait_closed(pilot, form)
        assert app.screen is card

        # the card's tabs show the new records
        tabs = card.query_one(TabbedContent)
        for kind, tab, expected in (("deal", "deals", "Card deal"),
                                    ("interaction", "interactions", "Card call"),
                                    ("claim", "claims", "Card claim"),
                                    ("agreement", "agreements", "Card terms")):
            tabs.active = tab
            await settle(pilot)
            await list_ready(pilot, card.query_one(f"#card-{kind}", VirtualList))
            await wait_until(pilot, lambda e=expected: e in screen_text(app),  # type: ignore[misc]
                             what=f"{expected} on the {tab} tab")
        alive(app)
    assert query(url, "SELECT p.key FROM deal d JOIN partner p ON p.id = d.partner_id "
                      "WHERE d.name = 'Card deal'") == [("P1",)]
    assert query(url, "SELECT p.key, i.subject_deal_id, i.subject_claim_id FROM interaction i "
                      "JOIN partner p ON p.id = i.partner_id "
                      "WHERE i.topic = 'Card call'") == [("P1", None, None)]
    assert query(url, "SELECT p.key, c.source FROM claim c JOIN partner p ON p.id = c.partner_id "
                      "WHERE c.description = 'Card claim'") == [("P1", "partner")]
    assert query(url, "SELECT p.key, a.kind FROM agreement a "
                      "JOIN partner p ON p.id = a.partner_id "
                      "WHERE a.name = 'Card terms'") == [("P1", "individual")]
    # every new record was audited
    for entity in ("deal", "interaction", "claim", "agreement"):
        assert query(url, "SELECT count(*) FROM change_log WHERE entity = :e "
                          "AND action = 'insert'", e=entity)[0][0] >= 1, entity


async def test_hostile_partner_card_creates_deal(url: str) -> None:
    """A partner named with markup and an escape sequence: card and form show it literally."""
    app = CrmApp(url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        card = await open_card(pilot, "P2")
        shown = screen_text(app)
        assert "[@click=app.quit]x[/]" in shown
        assert "\x1b" not in shown and "\x07" not in shown
        form = await push_and_wait(pilot, ("ctrl+d",), DealFormScreen)
        await wait_until(pilot, lambda: form.choices is not None, what="deal form loaded")
        await wait_until(pilot, lambda: "[@click=app.quit]x[/]" in screen_text(app),
                         what="hostile partner name in the form")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is card, what="back on the card")
        alive(app)
