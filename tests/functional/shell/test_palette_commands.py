"""Issue 22 §3: the command palette offers the current screen's actions (from its keys, in
the UI language), and Textual's own entries and words are translated."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from textual.command import CommandInput, CommandList

from crm_tui.app import CrmApp
from crm_tui.screens.deals.loss_reason_dialog import LossReasonDialog
from crm_tui.store.database import Database
from tests.functional.deals.conftest import open_deals
from tests.support.login import set_login_for_tests
from tests.support.screen import screen_text, wait_for_database, wait_until
from tests.unit.deals.data import seed

SIZE = (120, 36)


@pytest.fixture
def deals_url(db_url: str, fixed_now: datetime) -> str:
    database = Database.open(db_url)
    seed(database)
    database.close()
    set_login_for_tests("ivanov")
    return db_url


def prompts(app: CrmApp) -> list[str]:
    commands = app.screen.query_one(CommandList)
    return [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]


async def open_palette(app: CrmApp, pilot: Any) -> None:
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: bool(app.screen.query(CommandList)), what="palette open")


async def test_the_screen_s_actions_are_offered_and_run(deals_url: str) -> None:
    app = CrmApp(deals_url, language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await open_deals(app, pilot)
        await open_palette(app, pilot)
        await pilot.press(*"Проигр")
        await wait_until(pilot, lambda: any("Проиграть" in p for p in prompts(app)),
                         what="the board's Lose offered")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LossReasonDialog),
                         what="Lose run from the palette")


async def test_the_screen_s_actions_show_their_keys(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_deals(app, pilot)
        await open_palette(app, pilot)
        await pilot.press(*"Win")
        await wait_until(pilot, lambda: "Key: w/ц" in screen_text(app),
                         what="Win offered with its keys")


async def test_textual_s_own_entries_and_words_are_translated(db_url: str) -> None:
    app = CrmApp(db_url, language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        await open_palette(app, pilot)
        assert app.screen.query_one(CommandInput).placeholder == "Поиск команд…"
        await wait_until(pilot, lambda: any("Клавиши" in p for p in prompts(app)),
                         what="Keys translated")
        shown = " ".join(prompts(app))
        for english in ("Keys", "Quit", "Screenshot", "Theme", "Maximize"):
            assert english not in shown, (english, shown)
        assert "Снимок экрана" in shown and "Выход" in shown, shown
        await pilot.press(*"zzqqx")
        await wait_until(pilot, lambda: "Ничего не найдено" in screen_text(app),
                         what="no matches, in Russian")
        assert "No matches found" not in screen_text(app)
