"""Issue 22 §3 and §5 on the partner list: Down moves from the search field into the list,
the screen's Ctrl+ keys work from the search field, and the search finds digits from the
middle of an INN and a phone's last seven digits."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from crm_tui.app import CrmApp
from crm_tui.screens.partners.list import PartnersScreen
from crm_tui.widgets.virtual_list import VirtualList
from tests.functional.partners.conftest import wait_db
from tests.support.screen import wait_until


def _keys(screen: PartnersScreen) -> list[str]:
    lst = screen.query_one(VirtualList)
    rows = [lst.row_at(i) for i in range(lst.row_count or 0)]
    return [str(row.key) for row in rows if row is not None]


async def _search(app: CrmApp, pilot: Any, typed: str, expected: list[str]) -> PartnersScreen:
    await wait_db(app, pilot)
    await pilot.press("1")
    await wait_until(pilot, lambda: isinstance(app.screen, PartnersScreen))
    screen = app.screen
    assert isinstance(screen, PartnersScreen)
    await wait_until(pilot, lambda: len(_keys(screen)) == 3, what="three partners")
    await pilot.press("ctrl+f")
    await wait_until(pilot, lambda: isinstance(app.focused, Input))
    await pilot.press(*typed)
    await wait_until(pilot, lambda: _keys(screen) == expected, what=f"{expected} for {typed}")
    return screen


async def test_down_moves_from_the_search_into_the_list(partners_db: str) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _search(app, pilot, "ром", ["P1"])
        await pilot.press("down")
        await wait_until(pilot, lambda: app.focused is screen.query_one(VirtualList),
                         what="the list focused")


@pytest.mark.parametrize(("key", "form"), [
    ("ctrl+d", "DealFormScreen"), ("ctrl+k", "ClaimFormScreen"),
])
async def test_ctrl_keys_work_from_the_search_field(partners_db: str, key: str,
                                                    form: str) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _search(app, pilot, "ром", ["P1"])
        search = screen.query_one("#partners-search", Input)
        assert app.focused is search
        await pilot.press(key)
        await wait_until(pilot, lambda: type(app.screen).__name__ == form,
                         what=f"{form} from {key} in the search field")
        assert search.value == "ром"  # not taken as an editing key


@pytest.mark.parametrize(("typed", "expected"), [
    ("0838", ["P1"]),  # the middle of INN 7707083893
    ("083893", ["P1"]),  # its end
    ("1234567", ["P2"]),  # the last seven digits of +79161234567
    ("123-45-67", ["P2"]),
])
async def test_search_finds_inn_digits_anywhere_and_a_phone_s_last_seven(
        partners_db: str, typed: str, expected: list[str]) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await _search(app, pilot, typed, expected)
