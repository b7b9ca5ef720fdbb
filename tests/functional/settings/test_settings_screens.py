"""Pilot tests of the Settings section and the classifier editors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList

from crm_tui import credentials
from crm_tui.app import CrmApp
from crm_tui.screens.settings.classifier_dialogs import DealKindDialog, ValueDialog
from crm_tui.screens.settings.classifiers import ClassifiersScreen
from crm_tui.screens.settings.setting_dialog import SettingDialog
from crm_tui.screens.settings.settings import SettingsScreen
from crm_tui.store.repo_classifiers import list_deal_kinds, list_values
from crm_tui.store.settings import all_settings, claims_enabled, save_settings
from crm_tui.store.users import ensure_current_user
from crm_tui.widgets.filter_choice import ChoiceMenu
from tests.functional.settings.conftest import open_app
from tests.support.login import set_login_for_tests
from tests.support.screen import screen_text, wait_until


def highlight(screen: SettingsScreen, key: str) -> None:
    """Put the settings list's cursor on the setting `key`."""
    menu = screen.query_one("#settings-list", OptionList)
    menu.highlighted = menu.get_option_index(key)


def row_text(screen: SettingsScreen, key: str) -> str:
    menu = screen.query_one("#settings-list", OptionList)
    return str(menu.get_option(key).prompt)


async def edit(pilot: Pilot[None], screen: SettingsScreen, key: str, text: str) -> SettingDialog:
    """Open the editor of `key`, replace its text and press Enter."""
    highlight(screen, key)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SettingDialog))
    dialog = pilot.app.screen
    assert isinstance(dialog, SettingDialog)
    dialog.query_one(Input).value = text
    await pilot.press("enter")
    return dialog


async def test_admin_changes_settings_one_at_a_time(prepared_url: str) -> None:
    app = CrmApp(prepared_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        await pilot.press("8")
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        await wait_until(pilot, lambda: screen.loaded and screen.admin)
        assert "Enter changes" in screen_text(app)
        assert app.db is not None
        database = app.db

        def stored() -> dict[str, Any]:
            with database.read() as session:
                return all_settings(session)

        # A switch flips at once and is saved.
        assert "On" in row_text(screen, "claims_enabled")
        highlight(screen, "claims_enabled")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not claims_enabled_now(app))
        await wait_until(pilot, lambda: "Off" in row_text(screen, "claims_enabled"))
        # A number: half of the working hours.
        await edit(pilot, screen, "work_start", "8")
        await wait_until(pilot, lambda: stored()["working_hours"] == [8, 18])
        await wait_until(pilot, lambda: app.screen is screen)
        # A secret is the user's own: saved as typed in their credentials, never in the
        # database, never shown (only "set").
        assert "not set" in row_text(screen, "smtp_password")
        await edit(pilot, screen, "smtp_password", "[/]secret")
        await wait_until(pilot, lambda: credentials.secret("smtp_password").reveal()
                       == "[/]secret")
        await wait_until(pilot, lambda: row_text(screen, "smtp_password").endswith(" set"))
        assert "secret" not in screen_text(app)
        assert "[/]secret" not in json.dumps(stored())
        highlight(screen, "smtp_password")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingDialog))
        assert app.screen.query_one(Input).value == ""  # the editor never starts with it
        await pilot.press("escape")
        # A choice from its menu.
        highlight(screen, "smtp_security")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceMenu))
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: stored()["smtp_security"] == "ssl")
        # A wrong value: the reason under the field, the dialog stays, nothing saved.
        dialog = await edit(pilot, screen, "currency", "R")
        await wait_until(pilot, lambda: "3-letter" in str(dialog.query_one("#setting-error")
                                                           .render()))
        assert app.screen is dialog and stored()["currency"] == "RUB"
        await pilot.press("escape")
        # Working hours that end before they start are refused as well.
        dialog = await edit(pilot, screen, "work_end", "7")
        await wait_until(pilot, lambda: "start must be before" in str(
            dialog.query_one("#setting-error").render()))
        await pilot.press("escape")
        assert stored()["working_hours"] == [8, 18]
        # The attachment limit, not in the form before, is one of the settings.
        await edit(pilot, screen, "attachment_limit_mb", "50")
        await wait_until(pilot, lambda: stored()["attachment_limit_mb"] == 50)


async def test_another_session_s_change_shows(prepared_url: str) -> None:
    app = CrmApp(prepared_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        await pilot.press("8")
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        await wait_until(pilot, lambda: screen.loaded)
        assert app.db is not None
        with app.db.write() as session:
            save_settings(session, {"smtp_host": "mail.example.com"})
        screen.on_data_changed()
        await wait_until(pilot, lambda: "mail.example.com" in row_text(screen, "smtp_host"))


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
        await wait_until(pilot, lambda: screen.loaded)
        assert not screen.admin
        for key in ("claims_enabled", "currency", "smtp_security"):
            highlight(screen, key)
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is screen
        assert any("Only an administrator" in str(n.message) for n in app._notifications)
        assert claims_enabled_now(app)
        # Their own mail account they change themselves, kept in their credentials file.
        await edit(pilot, screen, "imap_login", "manager1@example.com")
        await wait_until(pilot, lambda: credentials.load()["imap_login"]
                       == "manager1@example.com")
        await wait_until(pilot, lambda: "manager1@example.com" in row_text(screen, "imap_login"))


def claims_enabled_now(app: CrmApp) -> bool:
    assert app.db is not None
    with app.db.read() as session:
        return claims_enabled(session)


async def test_classifier_editor_add_reorder_and_refuse_deleting_used(prepared_url: str) -> None:
    app = CrmApp(prepared_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        await pilot.press("8")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen) and app.screen.admin)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, ClassifiersScreen)
                       and len(app.screen.rows) == 5)
        screen = app.screen
        assert isinstance(screen, ClassifiersScreen)
        screen.query_one("#classifier-kinds", OptionList).highlighted = 8  # price types
        await wait_until(pilot, lambda: screen.kind == "price_type" and len(screen.rows) == 3)
        screen.query_one(DataTable).focus()
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ValueDialog))
        await pilot.press(*"vip", "tab")
        app.screen.query_one("#name", Input).value = "[@click=app.quit]VIP[/]"
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(screen.rows) == 4)
        assert screen.rows[-1][1] == "[@click=app.quit]VIP[/]"
        await pilot.press("ctrl+up")
        await wait_until(pilot, lambda: screen.rows[2][0] == "vip")
        # "wholesale" is used by an agreement: deletion is refused, naming where.
        screen.query_one(DataTable).move_cursor(row=1)
        await pilot.press("delete")

        def refused() -> bool:
            messages = [str(n.message) for n in app._notifications]
            return any("wholesale cannot be deleted" in m and "agreements" in m
                       for m in messages)

        await wait_until(pilot, refused)
        await pilot.press("x")
        assert app.db is not None
        database = app.db

        def archived() -> bool:
            with database.read() as session:
                return any(v.archived for v in list_values(session, "price_type"))

        await wait_until(pilot, archived)
        screen.query_one("#classifier-kinds", OptionList).highlighted = 1  # deal kinds
        await wait_until(pilot, lambda: screen.kind == "deal_kind" and len(screen.rows) == 3)
        screen.query_one(DataTable).focus()
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, DealKindDialog))
        dialog = app.screen
        assert isinstance(dialog, DealKindDialog)
        dialog.query_one("#kind-stages", OptionList).focus()
        dialog.query_one("#kind-stages", OptionList).highlighted = 4
        await pilot.press("delete", "ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, DealKindDialog))

        def shortened() -> bool:
            with database.read() as session:
                return len(list_deal_kinds(session)[0].stages) == 4

        await wait_until(pilot, shortened)
        assert app.is_running
        await pilot.press("escape")
        assert isinstance(app.screen, SettingsScreen)


async def test_the_app_says_when_an_upgrade_moved_secrets_out(tmp_path: Path) -> None:
    from tests.unit.settings.test_credentials import OLD, old_database

    class Recording(CrmApp):
        """The app, keeping what it notifies (through its public notify)."""

        said: ClassVar[list[str]] = []

        def notify(self, message: str, **options: Any) -> None:  # type: ignore[override]
            Recording.said.append(str(message))
            super().notify(message, **options)

    url = old_database(tmp_path / "old.sqlite3", OLD)
    app = Recording(url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_app(pilot)
        await wait_until(pilot, lambda: any("were removed from it" in m for m in Recording.said))
    notice = next(m for m in Recording.said if "were removed from it" in m)
    assert "smtp_password" in notice and "office-pass" not in notice
    assert credentials.secret("smtp_password").reveal() == "office-pass"
