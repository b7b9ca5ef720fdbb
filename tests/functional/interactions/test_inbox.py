"""The inbox with Pilot: views, done, snooze, follow-up, filter, hostile names."""

from __future__ import annotations

from datetime import datetime

import pytest

from crm_tui.app import CrmApp
from crm_tui.domain.interactions import SubjectRef
from crm_tui.screens.interactions.form import InteractionFormScreen
from crm_tui.screens.interactions.inbox import InboxScreen
from crm_tui.store.database import Database
from crm_tui.store.repo_interactions import chain, get_interaction
from crm_tui.widgets.virtual_list import VirtualList
from tests.functional.interactions.helpers import settle, wait_db
from tests.support.clock import set_fixed_now
from tests.unit.interactions.helpers import SAFE_HOSTILE, interaction, load


@pytest.fixture
def data(db: Database, fixed_now: datetime) -> Database:
    load(db,
         interaction("I1", "2026-01-10T10:00:00"),
         interaction("I2", "2026-01-12T10:00:00", subject={"deal": "D1"}),
         interaction("I3", "2026-01-14T10:00:00", topic=SAFE_HOSTILE, partner="P2"),
         interaction("I5", "2026-01-09T10:00:00", status="done"))
    return db


async def open_inbox(app: CrmApp, pilot) -> VirtualList:  # type: ignore[no-untyped-def]
    await wait_db(app, pilot)
    await pilot.press("3")
    await settle(pilot)
    assert isinstance(app.screen, InboxScreen)
    return app.screen.query_one(VirtualList)


def keys(lst: VirtualList) -> list[str]:
    return [lst.row_at(i).key[0] for i in range(lst.row_count or 0)]  # type: ignore[union-attr]


async def test_inbox_done_and_snooze(data: Database, db_url: str) -> None:
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        lst = await open_inbox(app, pilot)
        assert keys(lst) == ["I1", "I2", "I3"]  # the oldest due first
        await pilot.press("r")  # the latest first
        await settle(pilot)
        assert keys(lst) == ["I3", "I2", "I1"]
        await pilot.press("d")  # I3 done
        await settle(pilot)
        assert keys(lst) == ["I2", "I1"]
        await pilot.press("s")
        await settle(pilot, 3)
        await pilot.press("2")  # 15 minutes (the default snooze, 1 hour, is "1")
        await settle(pilot)
        assert keys(lst) == ["I1"]
        await pilot.press("v")  # snoozed
        await settle(pilot)
        assert keys(lst) == ["I2"]
        await pilot.press("v")  # done: the latest first, turned round
        await settle(pilot)
        assert keys(lst) == ["I5", "I3"]
        await pilot.press("v", "v")  # all, then in progress
        await settle(pilot)
        set_fixed_now(datetime(2026, 1, 15, 10, 46))
        app.screen._check_snoozed()  # type: ignore[attr-defined]
        await settle(pilot)
        assert keys(lst) == ["I2", "I1"]  # back, at the top
    with data.read() as s:
        assert get_interaction(s, "I3").status == "done"
        assert get_interaction(s, "I2").review_after == datetime(2026, 1, 15, 10, 45)


async def test_follow_up_from_inbox(data: Database, db_url: str) -> None:
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        lst = await open_inbox(app, pilot)
        lst.cursor = 1  # I2, subject deal D1
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, InteractionFormScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
    with data.read() as s:
        assert len(chain(s, SubjectRef("deal", "D1"))) == 2


async def test_hostile_names_show_literally(data: Database, db_url: str) -> None:
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_inbox(app, pilot)
        await settle(pilot)
        rendered = "\n".join(
            "".join(seg.text for seg in app.screen.query_one(VirtualList).render_line(y))
            for y in range(4))
        assert SAFE_HOSTILE in rendered
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InteractionFormScreen)
        assert app.is_running
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)


async def test_snooze_menu_follows_the_organizer_settings(data: Database, db_url: str) -> None:
    """The default snooze comes first in the menu; "tomorrow" is the start of work."""
    from textual.widgets import OptionList

    from crm_tui.store.settings import set_setting

    with data.write() as s:
        set_setting(s, "default_snooze_minutes", 20)
        set_setting(s, "working_hours", [8, 17])
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        lst = await open_inbox(app, pilot)
        assert keys(lst) == ["I1", "I2", "I3"]
        await pilot.press("s")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt)
                  for i in range(options.option_count)]
        assert labels == ["1  20 min (default)", "2  15 minutes", "3  1 hour", "4  3 hours",
                          "5  Tomorrow 8:00"]
        await pilot.press("1")  # I1, by the default: 20 minutes
        await settle(pilot)
        assert keys(lst) == ["I2", "I3"]
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("5")  # I2, tomorrow at the start of work
        await settle(pilot)
        assert keys(lst) == ["I3"]
    with data.read() as s:
        assert get_interaction(s, "I1").review_after == datetime(2026, 1, 15, 10, 50)
        assert get_interaction(s, "I2").review_after == datetime(2026, 1, 16, 8, 0)
