"""The guards for Textual defects keep the app alive."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import OptionList

from crm_tui.widgets import textual_fixes  # noqa: F401


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
