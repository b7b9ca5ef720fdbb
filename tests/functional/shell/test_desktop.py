"""Home as the manager's desktop (screens/shell/home.py): the day's work of the current user,
lines that open their records, done and snooze as in the inbox, a supervisor's choice of
whose work, live refresh, and 80×24."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import text
from textual.widgets import OptionList

from crm_tui.app import CrmApp
from crm_tui.screens.interactions.form import InteractionFormScreen
from crm_tui.store.database import Database
from crm_tui.store.repo_interactions import get_interaction, mark_done
from crm_tui.store.settings import set_setting
from tests.support.login import set_login_for_tests
from tests.support.screen import screen_text, settle, wait_for_database, wait_until
from tests.unit.desktop.helpers import load_day
from tests.unit.interactions.helpers import SAFE_HOSTILE


def lines(app: CrmApp) -> list[str]:
    if not app.screen.query("#home-work"):
        return []  # mounted with the first data
    work = app.screen.query_one("#home-work", OptionList)
    return [str(work.get_option_at_index(i).prompt) for i in range(work.option_count)]


def ids(app: CrmApp) -> list[str]:
    if not app.screen.query("#home-work"):
        return []
    work = app.screen.query_one("#home-work", OptionList)
    return [str(work.get_option_at_index(i).id) for i in range(work.option_count)
            if work.get_option_at_index(i).id]


async def open_home(app: CrmApp, pilot: Any) -> None:
    await wait_for_database(pilot)
    await wait_until(pilot, lambda: type(app.screen).__name__ == "HomeScreen"
                     and ids(app), what="the desktop filled")
    await settle(pilot)


@pytest.fixture
def day(db: Database, fixed_now: datetime) -> Database:
    load_day(db)
    return db


async def test_my_day_on_home(day: Database, db_url: str) -> None:
    set_login_for_tests("ivanov")
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_home(app, pilot)
        assert ids(app) == ["interaction:I1:1", "interaction:I4:1", "interaction:I2:1",
                            "claim:CL2:1", "deal:D1:0"]
        shown = lines(app)
        assert shown[0] == "Interactions: overdue and today (3)"
        assert shown[1].startswith("14.01 10:00  Call back Alpha · Alpha Trade")
        assert "Claim tasks due (1)" in shown
        assert any(line.startswith("14.01  Replace the goods · CL2") for line in shown)
        assert any("D1 Big deal · 14 d without an interaction" in line for line in shown)
        assert "Petrova" not in "\n".join(shown)  # only mine
        # Enter opens the highlighted line's record.
        assert app.screen.query_one("#home-work", OptionList).has_focus
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, InteractionFormScreen))
        assert app.screen.interaction_key == "I1"  # type: ignore[attr-defined]


async def test_done_and_snooze_from_home(day: Database, db_url: str) -> None:
    set_login_for_tests("ivanov")
    with day.write() as s:
        set_setting(s, "default_snooze_minutes", 45)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_home(app, pilot)
        await pilot.press("d")  # I1
        await wait_until(pilot, lambda: "interaction:I1:1" not in ids(app), what="I1 gone")
        assert ids(app)[0] == "interaction:I4:1"
        await pilot.press("s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "SnoozeMenu")
        await pilot.press("1")  # the default snooze: 45 minutes, until 11:15
        await settle(pilot)
        await wait_until(pilot, lambda: "interaction:I4:2" in ids(app), what="I4 snoozed")
        # A task line is marked done too (as in My tasks); a deal line is only opened.
        work = app.screen.query_one("#home-work", OptionList)
        work.highlighted = next(i for i in range(work.option_count)
                                if work.get_option_at_index(i).id == "claim:CL2:1")
        await pilot.press("d")
        await wait_until(pilot, lambda: "claim:CL2:1" not in ids(app), what="the task gone")
        work = app.screen.query_one("#home-work", OptionList)
        work.highlighted = next(i for i in range(work.option_count)
                                if work.get_option_at_index(i).id == "deal:D1:0")
        await pilot.press("d")
        await settle(pilot)
        assert "deal:D1:0" in ids(app)
    with day.read() as s:
        assert get_interaction(s, "I1").status == "done"
        assert get_interaction(s, "I4").review_after == datetime(2026, 1, 15, 11, 15)
        task = s.execute(text("SELECT t.done, t.done_at FROM claim_task t JOIN claim c "
                              "ON c.id = t.claim_id WHERE c.key = 'CL2' AND t.seq = 1")).one()
        assert task.done and str(task.done_at).startswith("2026-01-15 10:30")


async def test_a_supervisor_chooses_whose_work(day: Database, db_url: str) -> None:
    app = CrmApp(db_url, language="en")  # boss, an administrator, with no work of their own
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_database(pilot)
        await wait_until(pilot, lambda: "Deals needing attention (0)" in lines(app))
        await settle(pilot)
        assert ids(app) == []
        await pilot.press("w")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ChoiceMenu")
        await pilot.press("down", "enter")  # All managers
        await wait_until(pilot, lambda: "interaction:I6:1" in ids(app), what="everyone's")
        assert [i for i in ids(app) if i.startswith("interaction")] == [
            "interaction:I6:1", "interaction:I1:1", "interaction:I4:1", "interaction:I2:1"]
        assert "Petrova P." in "\n".join(lines(app))  # whose line it is
        # A partner named like markup is shown as typed (P2's name).
        assert f"Petrova's call · {SAFE_HOSTILE} · Petrova P." in "\n".join(lines(app))
        assert app.screen.query_one("#home-desk").border_title == "All managers' work"
        await pilot.press("w")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ChoiceMenu")
        menu = app.screen.query_one(OptionList)
        menu.highlighted = next(i for i in range(menu.option_count)
                                if str(menu.get_option_at_index(i).prompt) == "Petrova P.")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "interaction:I1:1" not in ids(app), what="petrova's")
        assert ids(app) == ["interaction:I6:1", "claim:CL2:2", "deal:D3:0"]
        assert app.screen.query_one("#home-desk").border_title == "Work of Petrova P."


async def test_a_manager_sees_only_their_own_work(day: Database, db_url: str) -> None:
    set_login_for_tests("ivanov")
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_home(app, pilot)
        await pilot.press("w")
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"
        assert "interaction:I6:1" not in ids(app)


async def test_home_refreshes_live(day: Database, db_url: str) -> None:
    set_login_for_tests("ivanov")
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_home(app, pilot)
        await wait_until(pilot, lambda: app._watcher is not None
                         and app._watcher._last is not None, what="watching")

        def elsewhere() -> None:
            other = Database.open(db_url)
            try:
                with other.write() as s:
                    mark_done(s, "I2", 1)
            finally:
                other.close()

        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join(timeout=30)
        await wait_until(pilot, lambda: "interaction:I2:1" not in ids(app), what="I2 gone")


async def test_the_desktop_fits_80_by_24(day: Database, db_url: str) -> None:
    set_login_for_tests("ivanov")
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_home(app, pilot)
        text = screen_text(app)
        for seen in ("open deals", "Interactions: overdue and today (3)", "Call back Alpha",
                     "Claim tasks due (1)", "Deals needing attention (1)", "D1 Big deal"):
            assert seen in text, seen


async def test_the_attention_settings_choose_the_deals(day: Database, db_url: str) -> None:
    """desktop_quiet_days and desktop_stage_days decide which open deals are listed."""
    set_login_for_tests("ivanov")
    with day.write() as s:
        set_setting(s, "desktop_quiet_days", 100)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_home(app, pilot)
        assert not any(i.startswith("deal:") for i in ids(app))  # D1 is quiet for 14 days
        with day.write() as s:
            set_setting(s, "desktop_quiet_days", 1)
        app.screen.load_desktop()  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: "deal:D2:0" in ids(app), what="D2 listed")
        assert [i for i in ids(app) if i.startswith("deal:")] == ["deal:D1:0", "deal:D2:0"]
