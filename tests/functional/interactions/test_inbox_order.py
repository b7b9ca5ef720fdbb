"""The inbox opens on what needs doing now: overdue first, then today, then later; overdue
rows say so; `r` turns the order round; at 80×24 the topic stays and the kind is whole."""

from __future__ import annotations

from datetime import datetime

import pytest

from crm_tui.app import CrmApp
from crm_tui.screens.interactions.inbox import InboxScreen
from crm_tui.store.database import Database
from crm_tui.widgets.virtual_list import VirtualList
from tests.support.screen import screen_text, settle, wait_for_database, wait_until
from tests.unit.interactions.helpers import interaction, load


@pytest.fixture
def data(db: Database, fixed_now: datetime) -> Database:
    # The clock is 2026-01-15 10:30; the rows are stored in no useful order.
    load(db,
         interaction("LATER", "2026-01-20T09:00:00", topic="Next week's call"),
         interaction("TODAY", "2026-01-15T16:00:00", topic="This afternoon"),
         interaction("OLD", "2026-01-05T09:00:00", topic="Long overdue"),
         interaction("RECENT", "2026-01-14T12:00:00", topic="Overdue since yesterday"))
    return db


async def _inbox(app: CrmApp, pilot) -> VirtualList:  # type: ignore[no-untyped-def]
    await wait_for_database(pilot)
    await pilot.press("3")
    await wait_until(pilot, lambda: isinstance(app.screen, InboxScreen), what="the inbox")
    lst = app.screen.query_one(VirtualList)
    await wait_until(pilot, lambda: lst.row_count == 4, what="the inbox rows")
    await settle(pilot)
    return lst


def _rows(lst: VirtualList) -> list[tuple[str, str, str]]:
    rows = [lst.row_at(i) for i in range(lst.row_count or 0)]
    return [(row.key[0], row.cells[-1], row.style) for row in rows if row is not None]


async def test_overdue_first_then_today_then_later(data: Database, db_url: str) -> None:
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        lst = await _inbox(app, pilot)
        assert _rows(lst) == [("OLD", "Overdue", "overdue"),
                              ("RECENT", "Overdue", "overdue"),
                              ("TODAY", "In progress", ""),
                              ("LATER", "In progress", "")]
        await pilot.press("r")
        await wait_until(pilot, lambda: lst.row_at(0) is not None
                         and lst.row_at(0).key[0] == "LATER", what="the order turned round")
        assert [key for key, _status, _style in _rows(lst)] == ["LATER", "TODAY", "RECENT",
                                                                  "OLD"]
        assert "reverse order" in screen_text(app)


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_narrow_inbox_keeps_topic_and_whole_kind(data: Database, db_url: str,
                                                       language: str) -> None:
    app = CrmApp(db_url, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        lst = await _inbox(app, pilot)
        header = screen_text(app).splitlines()[3]
        topic, status, manager = {"en": ("Topic", "Status", "Manager"),
                                  "ru": ("Тема", "Статус", "Менеджер")}[language]
        assert topic in header and status in header
        assert manager not in header  # the manager goes first when narrow
        assert lst.shown_titles()[1] == ("Kind" if language == "en" else "Вид")
        line = screen_text(app).splitlines()[4]
        assert ("Phone call" if language == "en" else "Звонок ") in line
        assert "Long overdue" in line
