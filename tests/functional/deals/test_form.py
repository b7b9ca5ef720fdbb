"""Pilot: the deal form — create, edit, validation next to the field, version conflict."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import select
from textual.widgets import Input, Static

from crm_tui.app import CrmApp
from crm_tui.screens.deals.form import DealFormScreen
from crm_tui.store.database import Database
from crm_tui.store.models import Deal, DealStageEntry
from crm_tui.store.repo_deals_form import load_deal, update_deal
from crm_tui.widgets.conflict_dialog import ConflictDialog
from tests.functional.deals.conftest import open_deals
from tests.support.screen import wait_until
from tests.unit.deals.data import make_hostile


def _read(url: str, key: str):  # type: ignore[no-untyped-def]
    database = Database.open(url)
    try:
        with database.read() as s:
            return load_deal(s, key)
    finally:
        database.close()


async def _open_form(app: CrmApp, pilot, key: str | None) -> DealFormScreen:  # type: ignore[no-untyped-def]
    await open_deals(app, pilot)
    await pilot.press("o" if key else "n")
    await wait_until(pilot, lambda: isinstance(app.screen, DealFormScreen))
    form = app.screen
    assert isinstance(form, DealFormScreen)
    await wait_until(pilot, lambda: form.choices is not None and
                   (key is None or form.detail is not None))
    await pilot.pause()
    return form


async def test_create_with_validation(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        form = await _open_form(app, pilot, None)
        await pilot.press("ctrl+s")
        assert "enter an amount" in str(form.query_one("#err-amount", Static).render())
        form.query_one("#amount", Input).value = "12,3x"
        await pilot.press("ctrl+s")
        assert "not an amount" in form.last_error
        form.query_one("#amount", Input).value = "1 234 567,5"
        await pilot.press("ctrl+s")
        assert "enter the deal's name" in form.last_error
        form.query_one("#name", Input).value = "Big order"
        await pilot.press("ctrl+s")
        assert "choose the partner" in form.last_error
        assert form.query_one("#name", Input).value == "Big order"  # input kept
        form._set_partner("P1")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, DealFormScreen))
        assert not isinstance(app.screen, DealFormScreen), form.last_error
    database = Database.open(deals_url)
    with database.read() as s:
        deal = s.exec(select(Deal).where(Deal.key == "D-000001")).one()
        entries = s.exec(select(DealStageEntry).where(DealStageEntry.deal_id == deal.id)).all()
    database.close()
    assert deal.amount_minor == 123456750 and deal.name == "Big order"
    assert len(entries) == 1 and deal.stage_id == entries[0].stage_id


async def test_edit_shows_history_and_saves(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        form = await _open_form(app, pilot, "D1")
        assert form.query_one("#amount", Input).value == "1,500,000.00"
        assert "Lead" in str(form.query_one("#timeline", Static).render())
        form.query_one("#name", Input).value = "Pipes, phase 2"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, DealFormScreen))
    detail = _read(deals_url, "D1")
    assert detail.draft.name == "Pipes, phase 2" and detail.version == 2
    assert detail.draft.amount == Decimal("1500000.00")


async def test_conflict_dialog_asks_for_the_field_changed_by_both(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        form = await _open_form(app, pilot, "D1")
        database = Database.open(deals_url)
        with database.write() as s:  # someone else saves first
            detail = load_deal(s, "D1")
            from dataclasses import replace

            update_deal(s, "D1", detail.version, replace(detail.draft, name="Theirs"))
        database.close()
        form.query_one("#name", Input).value = "Mine"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictDialog))
        assert form.query_one("#name", Input).value == "Mine"
        await pilot.press("escape")  # back to my edit: nothing saved
        await wait_until(pilot, lambda: app.screen is form)
        assert _read(deals_url, "D1").draft.name == "Theirs"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictDialog))
        await pilot.click("#merge")  # refused: the name, changed by both, is not chosen
        assert isinstance(app.screen, ConflictDialog)
        await pilot.click("#clash-0-mine")
        await pilot.click("#merge")
        await wait_until(pilot, lambda: not isinstance(app.screen, (DealFormScreen,
                                                                 ConflictDialog)))
    assert _read(deals_url, "D1").draft.name == "Mine"


async def test_hostile_names_in_form(deals_url: str) -> None:
    database = Database.open(deals_url)
    make_hostile(database)
    database.close()
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        form = await _open_form(app, pilot, "D1")
        await pilot.press("ctrl+s")
        # the stored name has a control character: refused, nothing crashes
        await pilot.pause()
        assert "control character" in form.last_error
        assert app.is_running
