"""A section's first opening re-parses no stylesheet (issue 24: on the huge demo set the
whole re-parse Textual makes when a screen first brings its own stylesheet was 60-80 ms of
a first opening). The app reads every section's stylesheet in its background warm-up, so
each screen finds its own already there; and the section still wears it."""

from __future__ import annotations

import asyncio

import pytest
from textual.css.stylesheet import Stylesheet

from crm_tui import tui_compat
from crm_tui.app import CrmApp
from crm_tui.sections import SECTIONS
from crm_tui.store.database import Database


async def _warmed_up(app: CrmApp) -> None:
    """Until the background warm-up has run (it starts when Home shows its first data)."""
    for _ in range(1000):
        if app._warm_up_started and not any(
                worker.group == "warm-up" for worker in app.workers):
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the warm-up did not run")


async def test_every_section_opens_the_first_time_without_a_css_reparse(
        small_db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    reparses: list[int] = []
    original = Stylesheet.reparse

    def counting(self: Stylesheet) -> None:
        reparses.append(1)
        original(self)

    monkeypatch.setattr(Stylesheet, "reparse", counting)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await _warmed_up(app)
        reparses.clear()
        for section in SECTIONS[1:]:
            app.screen.set_focus(None)
            await pilot.press(section.key)
            for _ in range(200):
                if app.current_mode == section.mode and app.screen.is_mounted:
                    break
                await pilot.pause(0.01)
            assert app.current_mode == section.mode
            await pilot.pause()
            for path in tui_compat.screen_css_paths(type(app.screen)):
                assert app.stylesheet.has_source(str(path), "")
            await pilot.press("escape")
        assert reparses == []


async def test_a_section_opened_after_the_warm_up_wears_its_own_stylesheet(
        small_db: Database, db_url: str) -> None:
    """deals.tcss hides the deals list under the board and gives the filters one line."""
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await _warmed_up(app)
        app.screen.set_focus(None)
        await pilot.press("2")
        for _ in range(200):
            if app.current_mode == "deals" and app.screen.is_mounted:
                break
            await pilot.pause(0.01)
        await pilot.pause()
        assert app.screen.query_one("#deals-list").styles.display == "none"
        assert app.screen.query_one("#deals-filters").outer_size.height == 1


async def test_settings_open_after_the_warm_up_with_no_row_to_redraw(
        small_db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The warm-up reads the settings as the section shows them (the user's own rows too):
    the section's own read on opening then finds every row as drawn (each row replaced
    re-rendered the whole list, a frame more on every first opening)."""
    from textual.widgets import OptionList

    replaced: list[str] = []
    original = OptionList.replace_option_prompt

    def counting(self: OptionList, option_id: str, prompt: object) -> OptionList:
        replaced.append(option_id)
        return original(self, option_id, prompt)  # type: ignore[arg-type]

    monkeypatch.setattr(OptionList, "replace_option_prompt", counting)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await _warmed_up(app)
        app.screen.set_focus(None)
        await pilot.press("8")
        for _ in range(500):
            if app.current_mode == "settings" and getattr(app.screen, "loaded", False):
                break
            await pilot.pause(0.01)
        assert getattr(app.screen, "loaded", False), "the settings were not read on opening"
        await pilot.pause()
        assert replaced == []


async def test_reading_the_sections_stylesheets_redraws_nothing(
        small_db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Their rules name only the sections' own screens and widgets: the home screen under
    them is not restyled, so nothing is sent to the terminal while the user reads it (a
    restyle of every node sent 3.9 KB to an idle terminal)."""
    from textual.widget import Widget

    refreshed: list[str] = []
    read: list[int] = []

    class Watched(CrmApp):
        def _read_sections_css(self) -> None:
            original = Widget.refresh

            def spy(widget: Widget, *args: object, **kwargs: object) -> Widget:
                refreshed.append(type(widget).__name__)
                return original(widget, *args, **kwargs)  # type: ignore[arg-type]

            monkeypatch.setattr(Widget, "refresh", spy)
            try:
                super()._read_sections_css()
            finally:
                monkeypatch.setattr(Widget, "refresh", original)
            read.append(1)

    app = Watched(db_url, language="en")
    async with app.run_test(size=(120, 36)):
        await _warmed_up(app)
        assert read == [1]
        assert refreshed == []


def test_the_sections_stylesheets_name_only_their_own_screens_and_widgets() -> None:
    """What lets the warm-up read them without restyling the screen shown: no rule of a
    section's stylesheet starts with a Textual widget, a bare pseudo-class or `*`."""
    import importlib
    import re

    import textual.widgets

    generic = set(textual.widgets.__all__) | {"Screen", "ModalScreen", "App", "Widget", "*"}
    for section in SECTIONS[1:]:
        module = importlib.import_module(f"crm_tui.screens.{section.module}")
        for path in tui_compat.screen_css_paths(getattr(module, section.screen_class)):
            css = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
            for block in re.findall(r"([^{}]+)\{", css):
                for selector in block.split(","):
                    first = re.split(r"[\s.:#>]", selector.strip(), maxsplit=1)[0]
                    assert first and first not in generic, (path.name, selector.strip())


async def test_the_deals_board_is_drawn_with_its_currency_the_first_time(
        small_db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The board takes the company currency from the warm-up's settings: the read on opening
    finds it unchanged and does not draw the whole board again (~30 ms on the huge set)."""
    from crm_tui.widgets.kanban import KanbanBoard

    calls: list[tuple[str, str]] = []
    original = KanbanBoard.set_currency

    def spy(board: KanbanBoard, code: str) -> None:
        calls.append((board.currency, code))
        original(board, code)

    monkeypatch.setattr(KanbanBoard, "set_currency", spy)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await _warmed_up(app)
        app.screen.set_focus(None)
        await pilot.press("2")
        for _ in range(500):
            if calls:
                break
            await pilot.pause(0.01)
        assert calls == [("RUB", "RUB")]


async def test_the_warm_up_formats_an_amount_and_a_date_once(
        small_db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Babel reads the language's data on first use (~30 ms): in the warm-up's thread, not
    on the event loop when the deals board first shows its sums."""
    import threading

    from crm_tui.domain import formatting

    threads: list[str] = []
    original = formatting.show_money

    def spy(amount: object) -> str:
        threads.append(threading.current_thread().name)
        return original(amount)  # type: ignore[arg-type]

    monkeypatch.setattr(formatting, "show_money", spy)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)):
        await _warmed_up(app)
        assert threads and threads[0] != threading.main_thread().name
