"""FilterChoice: a one-widget filter field whose choices open in a small dialog."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import App, ComposeResult

from crm_tui.widgets.filter_choice import ChoiceMenu, FilterChoice
from tests.support.screen import wait_until


class Filters(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[Any] = []

    def compose(self) -> ComposeResult:
        yield FilterChoice([("Moscow", 1), ("Kazan", 2), ("[/]x[@click=app.quit]", 3)],
                           prompt="Any region", id="region")
        yield FilterChoice([("Name", "name"), ("Region", "region")], prompt="Sort",
                           allow_blank=False, id="sort")

    @on(FilterChoice.Changed)
    def _changed(self, event: FilterChoice.Changed) -> None:
        self.changes.append((event.select.id, event.value))


def shown(choice: FilterChoice) -> str:
    return choice.render().plain


async def test_choose_with_keys_then_back_to_any() -> None:
    app = Filters()
    async with app.run_test(size=(80, 20)) as pilot:
        region = app.query_one("#region", FilterChoice)
        assert region.value is FilterChoice.NULL and shown(region).startswith("Any region")
        region.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceMenu), what="menu")
        await pilot.press("down", "down", "enter")  # "Any region", Moscow, Kazan
        await wait_until(pilot, lambda: region.value == 2, what="chosen")
        assert shown(region).startswith("Kazan")
        assert app.changes == [("region", 2)]
        region.clear()
        await pilot.pause()
        assert region.value is FilterChoice.NULL
        assert app.changes[-1] == ("region", FilterChoice.NULL)


async def test_escape_keeps_the_value_and_setting_the_same_value_is_quiet() -> None:
    app = Filters()
    async with app.run_test(size=(80, 20)) as pilot:
        region = app.query_one("#region", FilterChoice)
        region.value = 1
        region.value = 1
        await pilot.pause()
        assert app.changes == [("region", 1)]
        region.focus()
        await pilot.press("space")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceMenu), what="menu")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ChoiceMenu), what="closed")
        assert region.value == 1 and app.changes == [("region", 1)]


async def test_click_opens_and_hostile_labels_are_shown_literally() -> None:
    app = Filters()
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.click("#region")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceMenu), what="menu")
        await pilot.press("down", "down", "down", "enter")
        region = app.query_one("#region", FilterChoice)
        await wait_until(pilot, lambda: region.value == 3, what="chosen")
        assert shown(region).startswith("[/]x[@click=app.quit]")
        assert app.is_running


async def test_without_blank_the_first_choice_and_new_options() -> None:
    app = Filters()
    async with app.run_test(size=(80, 20)) as pilot:
        sort = app.query_one("#sort", FilterChoice)
        assert sort.value == "name" and sort.option_count == 2
        sort.set_options([("Manager", "manager")])  # the value is no longer a choice
        await pilot.pause()
        assert sort.value == "manager"
        region = app.query_one("#region", FilterChoice)
        region.value = 2
        region.set_options([("Kazan", 2), ("Perm", 4)])  # still a choice: kept
        assert region.value == 2
        region.set_options([("Perm", 4)])
        assert region.value is FilterChoice.NULL
