"""Pilot tests of the Settings section and the classifier editors."""

from __future__ import annotations

from textual.widgets import DataTable, Input, OptionList, Switch

from crm_tui.app import CrmApp
from crm_tui.screens.classifier_dialogs import DealKindDialog, ValueDialog
from crm_tui.screens.classifiers import ClassifiersScreen
from crm_tui.screens.settings import SettingsScreen
from crm_tui.store.repo_classifiers import list_deal_kinds, list_values
from crm_tui.store.settings import all_settings, claims_enabled
from crm_tui.store.users import ensure_current_user, set_login_for_tests
from tests.functional.settings.conftest import open_app, wait_for


async def test_admin_turns_claims_off_and_saves(prepared_url: str) -> None:
    app = CrmApp(prepared_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        await pilot.press("8")
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        await wait_for(pilot, lambda: screen.admin)
        switch = screen.query_one("#claims_enabled", Switch)
        assert switch.value and not switch.is_disabled
        switch.focus()
        await pilot.press("space")
        screen.query_one("#work_start", Input).value = "8"
        screen.query_one("#smtp_password", Input).value = "[/]secret"
        await pilot.press("ctrl+s")
        assert app.db is not None
        database = app.db

        def saved() -> bool:
            with database.read() as session:
                return not claims_enabled(session)

        await wait_for(pilot, saved)
        with database.read() as session:
            values = all_settings(session)
        assert values["working_hours"] == [8, 18] and values["smtp_password"] == "[/]secret"
        screen.query_one("#currency", Input).value = "R"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "3-letter" in str(screen.query_one("#settings-error")
                                                          .render()))


async def test_a_manager_reads_settings_but_cannot_change_them(prepared_url: str) -> None:
    from crm_tui.store.database import Database

    database = Database.open(prepared_url)
    set_login_for_tests("manager1")
    with database.write() as session:
        ensure_current_user(session)
    database.close()
    app = CrmApp(prepared_url, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_app(pilot)
        await pilot.press("8")
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        await wait_for(pilot, lambda: screen.values)
        assert screen.query_one("#claims_enabled", Switch).is_disabled
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert claims_enabled_now(app)


def claims_enabled_now(app: CrmApp) -> bool:
    assert app.db is not None
    with app.db.read() as session:
        return claims_enabled(session)


async def test_classifier_editor_add_reorder_and_refuse_deleting_used(prepared_url: str) -> None:
    app = CrmApp(prepared_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        await pilot.press("8")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen) and app.screen.admin)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, ClassifiersScreen)
                       and len(app.screen.rows) == 5)
        screen = app.screen
        assert isinstance(screen, ClassifiersScreen)
        screen.query_one("#classifier-kinds", OptionList).highlighted = 8  # price types
        await wait_for(pilot, lambda: screen.kind == "price_type" and len(screen.rows) == 3)
        screen.query_one(DataTable).focus()
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ValueDialog))
        await pilot.press(*"vip", "tab")
        app.screen.query_one("#name", Input).value = "[@click=app.quit]VIP[/]"
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(screen.rows) == 4)
        assert screen.rows[-1][1] == "[@click=app.quit]VIP[/]"
        await pilot.press("ctrl+up")
        await wait_for(pilot, lambda: screen.rows[2][0] == "vip")
        # "wholesale" is used by an agreement: deletion is refused, naming where.
        screen.query_one(DataTable).move_cursor(row=1)
        await pilot.press("delete")

        def refused() -> bool:
            messages = [str(n.message) for n in app._notifications]
            return any("wholesale cannot be deleted" in m and "agreements" in m
                       for m in messages)

        await wait_for(pilot, refused)
        await pilot.press("x")
        assert app.db is not None
        database = app.db

        def archived() -> bool:
            with database.read() as session:
                return any(v.archived for v in list_values(session, "price_type"))

        await wait_for(pilot, archived)
        screen.query_one("#classifier-kinds", OptionList).highlighted = 1  # deal kinds
        await wait_for(pilot, lambda: screen.kind == "deal_kind" and len(screen.rows) == 3)
        screen.query_one(DataTable).focus()
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, DealKindDialog))
        dialog = app.screen
        assert isinstance(dialog, DealKindDialog)
        dialog.query_one("#kind-stages", OptionList).focus()
        dialog.query_one("#kind-stages", OptionList).highlighted = 4
        await pilot.press("delete", "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, DealKindDialog))

        def shortened() -> bool:
            with database.read() as session:
                return len(list_deal_kinds(session)[0].stages) == 4

        await wait_for(pilot, shortened)
        assert app.is_running
        await pilot.press("escape")
        assert isinstance(app.screen, SettingsScreen)
