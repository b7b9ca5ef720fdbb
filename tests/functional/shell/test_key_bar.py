"""The key bar: the focused widget's shown keys on one line, clickable, palette on the right."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input

from crm_tui.widgets.key_bar import KeyBar, KeySpan


class Keys(App[None]):
    """A small app whose keys are known (function keys: an Input consumes letters)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "note('a')", "Add", tooltip="Add a thing"),
        Binding("f6", "note('b')", "Both"),
        Binding("f7", "note('b')", "Both again"),  # same action: shown once
        Binding("f8", "note('h')", "Hidden", show=False),
        Binding("f9", "note('d')", "Disabled"),
    ]

    def __init__(self, many: int = 0) -> None:
        super().__init__()
        self.pressed: list[str] = []
        for number in range(many):
            key = f"f{number + 10}"
            self.bind(key, f"note('{key}')", description=f"Long key {number}")

    def compose(self) -> ComposeResult:
        yield Input(id="field")
        yield KeyBar()

    def action_note(self, what: str) -> None:
        self.pressed.append(what)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "note" and parameters == ("d",):
            return None  # shown, but disabled
        return True


def span(app: App[None], key: str) -> KeySpan:
    return next(span for span in app.query_one(KeyBar).spans if span.key == key)


def bar_text(app: App[None]) -> str:
    bar = app.query_one(KeyBar)
    return "".join(segment.text for segment in bar.render_line(0))


async def test_shows_each_action_once_hides_hidden_palette_on_the_right() -> None:
    app = Keys()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        text = bar_text(app)
        assert " f5 Add " in text and " f6 Both " in text
        assert "Both again" not in text and "Hidden" not in text
        assert text.rstrip().endswith("palette")
        assert len(text) == 100


async def test_click_presses_the_key_and_disabled_keys_do_nothing() -> None:
    app = Keys()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        add, disabled = span(app, "f5"), span(app, "f9")
        assert add.enabled and not disabled.enabled
        await pilot.click(KeyBar, offset=(add.start + 1, 0))
        await pilot.click(KeyBar, offset=(disabled.start + 1, 0))
        await pilot.pause()
        assert app.pressed == ["a"]


async def test_hover_shows_the_tooltip() -> None:
    app = Keys()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        add = span(app, "f5")
        await pilot.hover(KeyBar, offset=(add.start + 1, 0))
        assert app.query_one(KeyBar).tooltip == "Add a thing"


async def test_keys_that_do_not_fit_are_left_out_whole_and_palette_stays() -> None:
    app = Keys(many=12)
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        text = bar_text(app)
        assert len(text) == 80
        assert text.rstrip().endswith("palette")
        bar = app.query_one(KeyBar)
        assert all(span.end <= 80 for span in bar.spans)
        shown = [span.key for span in bar.spans]
        assert "f21" not in shown  # the last keys did not fit


async def test_follows_focus_changes() -> None:
    class WithFocusKeys(Keys):
        def compose(self) -> ComposeResult:
            field = Input(id="field")
            field._bindings.bind("ctrl+y", "app.note('y')", "Only in field")
            yield field
            yield Input(id="other")
            yield KeyBar()

    app = WithFocusKeys()
    async with app.run_test(size=(120, 10)) as pilot:
        app.query_one("#field").focus()
        await pilot.pause()
        assert "Only in field" in bar_text(app)
        app.query_one("#other").focus()
        await pilot.pause()
        assert "Only in field" not in bar_text(app)
