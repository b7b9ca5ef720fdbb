"""Pilot tests of the Agreements section and the agreement form."""

from __future__ import annotations

from sqlalchemy import text
from textual.widgets import Input, Select, Static

from crm_tui.app import CrmApp
from crm_tui.screens.agreements.form import AgreementFormScreen, PaymentLineRow
from crm_tui.store.database import Database
from crm_tui.store.repo_agreements import AgreementFilter, count_agreements, get_agreement
from crm_tui.widgets.filter_choice import FilterChoice
from crm_tui.widgets.unsaved import SaveChangesDialog
from crm_tui.widgets.virtual_list import VirtualList
from tests.functional.settings.conftest import open_app
from tests.support.screen import wait_until


def screen_text(app: CrmApp) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query(Static))


async def test_list_filters_and_hostile_names(prepared_url: str) -> None:
    app = CrmApp(prepared_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        await pilot.press("6")
        listing = app.screen.query_one(VirtualList)
        await wait_until(pilot, lambda: listing.row_count == 2 and listing.row_at(1) is not None)
        assert listing.row_at(0).cells[1] == "[@click=app.quit]x[/]"  # type: ignore[union-attr]
        assert app.is_running
        app.screen.query_one("#filter-kind", FilterChoice).value = "typical"
        await wait_until(pilot, lambda: listing.row_count == 1)
        assert listing.row_at(0) is None or listing.row_at(0).key == "T1"  # type: ignore[union-attr]
        listing.focus()
        await pilot.press("x")
        await wait_until(pilot, lambda: listing.row_count == 2)
        await wait_until(pilot, lambda: listing.row_at(1) is not None)
        shot = app.export_screenshot()
        assert "Wholesale&#160;[b]terms[/b]" in shot or "Wholesale [b]terms[/b]" in shot


async def test_create_individual_from_typical(prepared_url: str) -> None:
    app = CrmApp(prepared_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        await pilot.press("6")
        listing = app.screen.query_one(VirtualList)
        await wait_until(pilot, lambda: listing.row_at(1) is not None)
        listing.focus()
        await pilot.press("down", "b")
        await wait_until(pilot, lambda: isinstance(app.screen, AgreementFormScreen)
                       and app.screen.loaded is not None)
        form = app.screen
        assert isinstance(form, AgreementFormScreen)
        assert form.query_one("#kind", Select).value == "individual"
        assert len(form.query(PaymentLineRow)) == 2
        form.query_one("#name", Input).value = "Alpha special"
        form.query_one("#partner").choose("P1", "Alpha")  # type: ignore[attr-defined]
        first = form.query(PaymentLineRow).first()
        first.query_one(".percent", Input).value = "30"
        await pilot.pause()
        assert "Total: 80%" in str(form.query_one("#schedule-total", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AgreementFormScreen)  # refused: not 100 %
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Total: 100%" in str(form.query_one("#schedule-total", Static).render())
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, AgreementFormScreen))
        assert app.db is not None
        database: Database = app.db
        with database.read() as session:
            saved = get_agreement(session, "A-000001")
            assert saved.draft.based_on == "T1" and saved.draft.partner_key == "P1"
            assert [line.percent for line in saved.draft.schedule] == [30, 50, 20]
            assert count_agreements(session, AgreementFilter()) == 3


async def test_edit_and_escape_asks_before_discarding(prepared_url: str) -> None:
    app = CrmApp(prepared_url, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_app(pilot)
        await pilot.press("6")
        listing = app.screen.query_one(VirtualList)
        await wait_until(pilot, lambda: listing.row_at(0) is not None)
        listing.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AgreementFormScreen)
                       and app.screen.loaded is not None)
        form = app.screen
        assert form.query_one("#name", Input).value == "[@click=app.quit]x[/]"
        form.query_one("#name", Input).value = "Changed"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveChangesDialog))
        await pilot.press("escape")  # cancel: the form stays with the input
        await wait_until(pilot, lambda: app.screen is form)
        assert form.query_one("#name", Input).value == "Changed"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveChangesDialog))
        await pilot.press("n")  # discard
        await wait_until(pilot, lambda: not isinstance(app.screen, (AgreementFormScreen,
                                                                 SaveChangesDialog)))
        assert app.is_running


async def test_partner_filter_searches_in_a_dialog(prepared_url: str) -> None:
    from crm_tui.widgets.partner_choice import PartnerChoice, PartnerSearchDialog

    app = CrmApp(prepared_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        await pilot.press("6")
        screen = app.screen
        listing = screen.query_one(VirtualList)
        await wait_until(pilot, lambda: listing.row_count == 2)
        choice = screen.query_one("#filter-partner", PartnerChoice)
        choice.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerSearchDialog))
        await pilot.press(*"zm9v")
        await wait_until(pilot, lambda: bool(app.screen.query("#partner-picker-options")))
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: app.screen is screen and choice.partner_key == "P2")
        await wait_until(pilot, lambda: listing.row_count == 1)
        assert listing.row_at(0) is None or listing.row_at(0).key == "I1"  # type: ignore[union-attr]
        assert "[@click=app.quit]" in choice.render().plain  # shown literally
        assert app.is_running
        # Ctrl+R in the dialog: any partner again.
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerSearchDialog))
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: app.screen is screen and choice.partner_key is None)
        await wait_until(pilot, lambda: listing.row_count == 2)
        # Esc leaves the choice as it was.
        choice.choose("P1", "Alpha")
        await wait_until(pilot, lambda: listing.row_count == 0)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerSearchDialog))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert choice.partner_key == "P1"


async def test_a_manager_cannot_change_typical_terms(prepared_url: str) -> None:
    app = CrmApp(prepared_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        assert app.db is not None
        with app.db.write() as session:  # the current user becomes a manager
            session.execute(text("UPDATE app_user SET role = 'manager'"))
        await pilot.press("6")
        listing = app.screen.query_one(VirtualList)
        await wait_until(pilot, lambda: listing.row_at(1) is not None)
        listing.focus()
        typical = next(i for i in range(2) if listing.row_at(i).key == "T1")  # type: ignore[union-attr]
        listing.cursor = typical
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AgreementFormScreen)
                       and app.screen.loaded is not None)
        form = app.screen
        form.query_one("#name", Input).value = "Cheaper terms"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "typical agreements" in str(
            form.query_one("#form-error", Static).render()))
        assert isinstance(app.screen, AgreementFormScreen)  # the input is kept
        assert form.query_one("#name", Input).value == "Cheaper terms"
        with app.db.read() as session:
            assert get_agreement(session, "T1").draft.name == "Wholesale [b]terms[/b]"
