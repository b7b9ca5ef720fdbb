"""The guards for Textual defects keep the app alive; the workaround for inputs keeps them
working; a frame hold holds frames and always ends."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Input, OptionList, Static

from crm_tui.widgets import textual_fixes  # noqa: F401
from crm_tui.widgets.frame_hold import FrameHold


class _Options(App[None]):
    def compose(self) -> ComposeResult:
        yield OptionList(*[f"option {n}" for n in range(30)])


async def test_paging_before_layout_does_not_crash() -> None:
    app = _Options()
    async with app.run_test() as pilot:
        options = app.query_one(OptionList)
        options.highlighted = 3
        options._index_to_line.clear()  # the state right after a dropdown opens
        options._move_page(1)
        assert options.highlighted == 29
        options._index_to_line.clear()
        options._move_page(-1)
        assert options.highlighted == 0
        await pilot.pause()


class _Form(App[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="short")
        yield Static("below")
        yield Input(id="auto", classes="auto")

    CSS = "Input { width: 30; } Input.auto { width: auto; }"


async def test_typing_in_an_input_repaints_it_without_a_layout_of_the_screen() -> None:
    app = _Form()
    async with app.run_test(size=(60, 12)) as pilot:
        field = app.query_one("#short", Input)
        field.focus()
        await pilot.pause()
        layouts: list[bool] = []
        original = app.screen._refresh_layout

        def counted(*args: Any, **kwargs: Any) -> None:
            layouts.append(True)
            original(*args, **kwargs)

        app.screen._refresh_layout = counted  # type: ignore[method-assign]
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
