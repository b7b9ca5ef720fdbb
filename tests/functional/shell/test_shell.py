"""The app shell: sections by key and by palette, help, language switch, header."""

from __future__ import annotations

import pytest
from textual.command import CommandList
from textual.widgets import Static

from crm_tui.app import CrmApp
from crm_tui.i18n import current_language
from crm_tui.sections import SECTIONS
from tests.support.screen import screen_text, settle, wait_for_database, wait_until

SIZE = (120, 36)


async def test_every_section_opens_by_its_key(db_url: str) -> None:
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        assert app.current_mode == "home"
        for section in SECTIONS:
            await pilot.press(section.key)
            await wait_until(pilot, lambda s=section: type(app.screen).__name__ == s.screen_class,
                             what=f"{section.screen_class} shown")
            assert app.current_mode == section.mode


async def test_new_database_gets_classifiers_and_the_user(db_url: str) -> None:
    app = CrmApp(db_url, language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        from sqlalchemy import text

        assert app.db is not None
        with app.db.read() as session:
            stages = session.execute(
                text("SELECT name FROM classifier WHERE kind='stage' ORDER BY sort_order")
            ).scalars().all()
            users = session.execute(text("SELECT login FROM app_user")).scalars().all()
        assert stages[0] == "Первичный интерес"
        assert users == [app.user_login]


async def test_palette_opens_a_section_by_name(db_url: str) -> None:
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: bool(app.screen.query(CommandList)), what="palette open")
        await pilot.press(*"Claims")

        def found() -> bool:
            commands = app.screen.query_one(CommandList)
            highlighted = commands.highlighted
            return highlighted is not None and "Claims" in str(
                commands.get_option_at_index(highlighted).prompt)

        await wait_until(pilot, found, what="the Claims command found")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.current_mode == "claims", what="claims opened")


async def test_help_lists_keys_and_closes(db_url: str) -> None:
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "HelpScreen",
                         what="help shown")
        assert "Open section: Partners" in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "HomeScreen",
                         what="back home")


async def test_language_switch_rebuilds_screens(db_url: str) -> None:
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        await pilot.press("1")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "PartnersScreen",
                         what="partners shown")
        await pilot.press("f2")

        def rebuilt() -> bool:
            titles = app.screen.query("#header-title")
            return (current_language() == "ru" and type(app.screen).__name__ == "PartnersScreen"
                    and bool(titles) and "Партнеры" in str(titles.first(Static).render()))

        await wait_until(pilot, rebuilt, what="rebuilt in Russian")
        await settle(pilot)
        assert app.current_mode == "partners"
        header = app.screen.query_one("#header-title", Static)
        assert "Партнеры" in str(header.render())
        descriptions = {b.description for b in app._bindings.key_to_bindings["1"]}
        assert descriptions == {"Партнеры"}
        await pilot.press("f2")
        await wait_until(pilot, lambda: current_language() == "en"
                         and type(app.screen).__name__ == "PartnersScreen", what="back in English")
        await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_home_fits_small_and_large_terminals(db_url: str, size: tuple[int, int]) -> None:
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=size) as pilot:
        await wait_for_database(pilot)
        await settle(pilot)
        await wait_until(pilot, lambda: "open deals" in screen_text(app), what="overview shown")
        text = screen_text(app)
        assert "Partners" in text and "open deals" in text


async def test_every_section_listens_to_other_sessions_once(db_url: str) -> None:
    """A section that also called SectionScreen.on_mount itself (Textual already calls the
    handler of every class) loaded twice and refreshed twice on every change."""
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_database(pilot)
        for section in SECTIONS:
            await pilot.press(section.key)
            await wait_until(pilot, lambda s=section: app.current_mode == s.mode)
            await settle(pilot)
            callbacks = app.data_changed._subscriptions.get(app.screen, [])
            assert len(callbacks) == 1, section.mode
