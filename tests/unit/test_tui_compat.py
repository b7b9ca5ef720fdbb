"""The Textual internals the app relies on (crm_tui/tui_compat.py) are still there and still
behave as the workarounds assume; the workarounds work; and none is used elsewhere. A Textual
upgrade fails here, in one file, instead of silently breaking styles, keys or frames."""

from __future__ import annotations

import re
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.css.stylesheet import Stylesheet
from textual.widgets import DataTable, Input, OptionList, Select, Static

from crm_tui import tui_compat
from crm_tui.widgets.frame_hold import FrameHold
from crm_tui.widgets.table_fill import fill_table
from tests.support.contrast import contrast

tui_compat.install()

ROOT = Path(__file__).resolve().parents[2] / "crm_tui"
# Textual's private names (on anything but `self`), used only in tui_compat.py; and overrides
# of Textual's private event handlers, which depend on the order Textual calls them in.
PRIVATE = re.compile(
    r"\b(?!self\b)\w+\.(_css_update_count|_parse_cache|_merged_bindings|_bindings|_begin_batch"
    r"|_end_batch|_watch_value|_move_page|_options|_refresh_styles|_batch_count|_index_to_line)\b"
    r"|def _on_\w+\(self, event: events\.")


def test_textual_is_the_version_the_workarounds_were_made_for() -> None:
    """On an upgrade, check every workaround below again (measure it: benchmarks/compat.py),
    then change the pin here, in tui_compat.TEXTUAL_VERSION and in pyproject.toml."""
    assert version("textual") == tui_compat.TEXTUAL_VERSION == "8.2.8"
    pyproject = (ROOT.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"textual=={tui_compat.TEXTUAL_VERSION}"' in pyproject


def test_no_textual_private_name_outside_tui_compat() -> None:
    found = [f"{path.relative_to(ROOT)}: {match.group(0)}"
             for path in ROOT.rglob("*.py") if path.name != "tui_compat.py"
             for match in PRIVATE.finditer(path.read_text(encoding="utf-8"))]
    assert found == []
    # No monkeypatch of a Textual class outside tui_compat either.
    patch = re.compile(r"^\s*(Input|OptionList|Select|App|Screen|Widget|DOMNode)\.\w+\s*=",
                       re.MULTILINE)
    assert [p for p in ROOT.rglob("*.py") if p.name != "tui_compat.py"
            and patch.search(p.read_text(encoding="utf-8"))] == []


# ------------------------------------------------------------------------ bindings


class _Keys(App[None]):
    BINDINGS = [Binding("x", "nothing", "Delete", id="x")]


async def test_a_node_s_bindings_can_be_replaced_and_textual_uses_them() -> None:
    app = _Keys()
    assert isinstance(app._bindings, BindingsMap)
    assert isinstance(App._merged_bindings, property) or hasattr(app, "_merged_bindings")
    tui_compat.map_bindings(app, lambda binding: replace(binding, description="Удалить"))
    async with app.run_test() as pilot:
        await pilot.pause()
        shown = {binding.key: binding.description
                 for (_node, binding, _enabled, _tip) in app.screen.active_bindings.values()}
        assert shown["x"] == "Удалить"
        tui_compat.reset_app_bindings(app)
        app.refresh_bindings()
        await pilot.pause()
        shown = {binding.key: binding.description
                 for (_node, binding, _enabled, _tip) in app.screen.active_bindings.values()}
        assert shown["x"] == "Delete"


# ------------------------------------------------------------------------ Select


class _Choice(App[None]):
    def compose(self) -> ComposeResult:
        yield Select([("First", 1), ("Second", 2)], value=2)


async def test_a_select_s_chosen_label() -> None:
    app = _Choice()
    async with app.run_test():
        select: Select[int] = app.query_one(Select)
        assert select._options[-1] == ("Second", 2)
        assert tui_compat.select_prompt(select) == "Second"
        select.clear()
        assert tui_compat.select_prompt(select) == ""


# ------------------------------------------------------------------------ CSS parse cache


def test_textual_keeps_64_parsed_css_sources_the_app_keeps_all() -> None:
    """If Textual's cache grows (or goes), measure again whether the app still needs it."""
    assert Stylesheet()._parse_cache.maxsize == 64

    class _Plain(App[None]):
        pass

    app = _Plain()
    tui_compat.enlarge_css_parse_cache(app)
    assert app.stylesheet._parse_cache.maxsize == tui_compat.CSS_PARSE_CACHE


# ------------------------------------------------------------------------ the first screen


async def test_the_first_screen_s_text_has_a_colour(tmp_path: Path) -> None:
    """The home screen is composed before Textual styles the App node; Textual's refresh of
    the CSS on the first switch to a mode is what gives its text the theme's foreground. Once
    skipped (to save a restyle), every label was drawn in its background colour."""
    from crm_tui.app import CrmApp

    app = CrmApp(f"sqlite:///{tmp_path / 'crm.sqlite3'}", language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.2)
        labels = list(app.screen.query("#home-sections, #home-overview"))
        assert len(labels) == 2
        for label in labels:
            style = label.visual_style
            assert style.foreground is not None and style.background is not None
            ink = (style.background + style.foreground).rgb
            assert contrast(ink, style.background.rgb) > 4.5, style


async def test_a_section_made_after_the_first_frame_is_marked_styled_and_legible(
        tmp_path: Path) -> None:
    """Sections made once the app has styled itself skip Textual's second restyle
    (tui_compat.mark_styled, ~50 ms of a first opening) and still draw readable text; the
    private counter it sets is still what Textual compares."""
    from textual.screen import Screen

    from crm_tui.app import CrmApp

    assert hasattr(Screen(), "_css_update_count")
    app = CrmApp(f"sqlite:///{tmp_path / 'crm.sqlite3'}", language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.2)
        assert app.styled
        await pilot.press("6")
        await pilot.pause(0.5)
        screen = app.screen
        assert type(screen).__name__ == "AgreementsScreen"
        assert screen._css_update_count == app._css_update_count
        header = screen.query_one("AppHeader")
        style = header.visual_style
        assert style.foreground is not None and style.background is not None
        ink = (style.background + style.foreground).rgb
        assert contrast(ink, style.background.rgb) > 3, style  # the header: 87% white on blue


# ------------------------------------------------------------------------ OptionList paging


class _Options(App[None]):
    def compose(self) -> ComposeResult:
        yield OptionList(*[f"option {n}" for n in range(30)])


async def test_paging_before_layout_still_crashes_textual_and_is_guarded() -> None:
    app = _Options()
    async with app.run_test() as pilot:
        options = app.query_one(OptionList)
        options.highlighted = 3
        textual_move_page: Any = OptionList._move_page.__wrapped__  # type: ignore[attr-defined]
        options._index_to_line.clear()  # the state right after a dropdown opens
        with pytest.raises(KeyError):  # Textual's defect: when fixed, drop the guard
            textual_move_page(options, 1)
        options._index_to_line.clear()
        options._move_page(1)
        assert options.highlighted == 29
        options._index_to_line.clear()
        options._move_page(-1)
        assert options.highlighted == 0
        await pilot.pause()


# ------------------------------------------------------------------------ Input layout


class _Form(App[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="short")
        yield Static("below")
        yield Input(id="auto", classes="auto")

    CSS = "Input { width: 30; } Input.auto { width: auto; }"


def _count_layouts(app: App[Any]) -> list[bool]:
    layouts: list[bool] = []
    original = app.screen._refresh_layout

    def counted(*args: Any, **kwargs: Any) -> None:
        layouts.append(True)
        original(*args, **kwargs)

    app.screen._refresh_layout = counted  # type: ignore[method-assign]
    return layouts


async def test_textual_lays_out_the_screen_on_every_keystroke_in_an_input() -> None:
    """The defect the Input workaround saves: without it, typing lays out the screen."""
    app = _Form()
    async with app.run_test(size=(60, 12)) as pilot:
        field = app.query_one("#short", Input)
        field.focus()
        await pilot.pause()
        patched = Input._watch_value
        Input._watch_value = patched.__wrapped__  # type: ignore[attr-defined,method-assign]
        try:
            layouts = _count_layouts(app)
            await pilot.press(*"abc")
            await pilot.pause()
        finally:
            Input._watch_value = patched  # type: ignore[method-assign]
        assert layouts


async def test_typing_in_an_input_repaints_it_without_a_layout_of_the_screen() -> None:
    app = _Form()
    async with app.run_test(size=(60, 12)) as pilot:
        field = app.query_one("#short", Input)
        field.focus()
        await pilot.pause()
        layouts = _count_layouts(app)
        changes: list[str] = []

        def changed(value: str) -> None:
            changes.append(value)

        app.screen.watch(field, "value", changed, init=False)
        text = "Агроцентр Северо-Западный и партнёры, ООО"  # longer than the field
        await pilot.press(*text)
        await pilot.pause()
        assert field.value == text and changes[-1] == text
        assert layouts == []
        # The text scrolled inside the field, so that the cursor at its end is shown.
        assert field.virtual_size.width == len(text) + 1
        assert field.scroll_x > 0
        assert field.cursor_screen_offset.x < field.region.right
        await pilot.press("home")
        await pilot.pause()
        assert field.scroll_x == 0


async def test_an_input_sized_by_its_text_still_grows() -> None:
    app = _Form()
    async with app.run_test(size=(60, 12)) as pilot:
        field = app.query_one("#auto", Input)
        field.focus()
        await pilot.pause()
        before = field.size.width
        await pilot.press(*"a longer text than before")
        await pilot.pause()
        assert field.size.width > before


# ------------------------------------------------------------------------ frame hold


class _Held(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("0", id="shown")


async def test_a_frame_hold_draws_nothing_until_released() -> None:
    app = _Held()
    frames: list[object] = []
    async with app.run_test() as pilot:
        await pilot.pause()
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                frames.append(renderable)
            original(screen, renderable)

        app._display = display  # type: ignore[method-assign]
        hold = FrameHold(app, longest=5.0)
        hold.hold()
        hold.hold()  # one hold at a time: a second is part of the first
        app.query_one("#shown", Static).update("1")
        await pilot.pause(0.1)
        assert frames == [] and hold.holding
        hold.release()
        hold.release()  # released once
        await pilot.pause(0.1)
        assert frames and not hold.holding and app._batch_count == 0


async def test_a_frame_hold_ends_by_itself() -> None:
    app = _Held()
    async with app.run_test() as pilot:
        hold = FrameHold(app, longest=0.05)
        hold.hold()
        assert app._batch_count == 1
        await pilot.pause(0.2)
        assert not hold.holding and app._batch_count == 0


# ------------------------------------------------------------------------ command palette


def test_textual_s_palette_still_writes_no_matches_in_english_where_overridden() -> None:
    """tui_compat.command_palette overrides CommandPalette._start_no_matches_countdown as
    Textual 8.2.8 has it: the names it uses are there, and the English words are still in
    that method (else the override is no longer needed, or no longer the same)."""
    import inspect

    from textual.command import CommandPalette

    source = inspect.getsource(CommandPalette._start_no_matches_countdown)
    assert '"No matches found"' in source and "set_timer" in source
    for name in ("_stop_no_matches_countdown", "_NO_MATCHES", "_NO_MATCHES_COUNTDOWN",
                 "_watch__list_visible"):
        assert hasattr(CommandPalette, name), name
    palette = tui_compat.command_palette("Поиск", "Ничего")
    assert isinstance(palette, CommandPalette)
    assert palette._no_matches_timer is None  # set in __init__, replaced by the override


def test_a_screen_s_stylesheet_paths_are_named_as_textual_names_them() -> None:
    """CrmApp reads each section's stylesheet before its screen exists, under the name
    Textual gives it when the screen brings it: another name and Textual reads it again."""
    import importlib

    from crm_tui.sections import SECTIONS

    for section in SECTIONS[1:]:
        screen_class = getattr(importlib.import_module(f"crm_tui.screens.{section.module}"),
                               section.screen_class)
        paths = tui_compat.screen_css_paths(screen_class)
        assert paths and all(path.is_file() for path in paths)
        assert paths == list(screen_class().css_path)


# ------------------------------------------------------------------------ OptionList on resize


class _LongList(App[None]):
    def __init__(self, kind: type[OptionList]) -> None:
        super().__init__()
        self.kind = kind

    def compose(self) -> ComposeResult:
        yield self.kind(*[f"option {n}" for n in range(60)])


def _count_option_renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The width of every option rendered afresh (not taken from OptionList's cache)."""
    rendered: list[int] = []
    original = OptionList._get_option_render

    def counted(self: OptionList, option: Any, style: Any) -> Any:
        strips = original(self, option, style)
        if not any(strips is kept for kept in counted.seen):  # type: ignore[attr-defined]
            counted.seen.append(strips)  # type: ignore[attr-defined]
            rendered.append(strips[0].cell_length)
        return strips

    counted.seen = []  # type: ignore[attr-defined]
    monkeypatch.setattr(OptionList, "_get_option_render", counted)
    return rendered


async def test_textual_renders_a_new_option_list_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    """The defect SteadyOptionList saves: the first Resize, after the first frame, drops every
    rendered option. When this fails, Textual no longer does it: drop SteadyOptionList."""
    rendered = _count_option_renders(monkeypatch)
    app = _LongList(OptionList)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.pause()
        shown = app.query_one(OptionList).scrollable_content_region.height
        assert len(rendered) == 2 * shown


async def test_a_steady_option_list_renders_its_options_once_and_again_on_a_new_width(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rendered = _count_option_renders(monkeypatch)
    app = _LongList(tui_compat.SteadyOptionList)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.pause()
        options = app.query_one(OptionList)
        shown = options.scrollable_content_region.height
        width = options.scrollable_content_region.width
        assert rendered == [width] * shown
        # A narrower terminal: every option is rendered again at the new width.
        rendered.clear()
        await pilot.resize_terminal(40, 20)
        await pilot.pause()
        await pilot.pause()
        narrower = options.scrollable_content_region.width
        assert narrower < width
        assert rendered == [narrower] * shown
        # The scroll bar's column is kept from the start: its appearing changed no width.
        assert options.styles.scrollbar_gutter == "stable"


class _Table(App[None]):
    """A table of fixed height, as the app's tables are (no Resize when rows arrive)."""

    CSS = "DataTable { height: 5; }"

    def compose(self) -> ComposeResult:
        yield DataTable[Text]()


_ROW = (Text("2026-01-15 10:30:00"), Text("petrova"))


async def test_textual_keeps_a_table_s_header_wide_columns_drawn_before_its_idle() -> None:
    """The defect widgets/table_fill.py works around: rows added, a frame drawn before the
    table's idle, and the columns stay as narrow as their headers after it. When an upgrade
    fixes this, fill_table may go back to automatic widths."""
    app = _Table()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(DataTable)
        table.add_columns("When", "Who")
        await pilot.pause()
        table.add_row(*_ROW)
        assert table.render_line(1).text.split() == ["2026", "pet"]
        await pilot.pause(0.1)
        assert table.render_line(1).text.split() == ["2026", "pet"]


async def test_a_filled_table_draws_its_columns_whole_from_the_first_frame() -> None:
    app = _Table()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(DataTable)
        fill_table(table, ["When", "Who"], [])
        await pilot.pause()
        fill_table(table, ["When", "Who"], [_ROW, (Text("x"), Text("ивановa\nb"))],
                   keys=["a", "b"])
        assert table.render_line(1).text.split() == ["2026-01-15", "10:30:00", "petrova"]
        await pilot.pause(0.1)
        assert table.render_line(1).text.split() == ["2026-01-15", "10:30:00", "petrova"]
        assert [table.get_row_index(key) for key in ("a", "b")] == [0, 1]
        assert [str(label) for label in (c.label for c in table.ordered_columns)] == [
            "When", "Who"]
