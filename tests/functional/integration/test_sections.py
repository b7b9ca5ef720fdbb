"""Every section: the language switch (F2) rebuilds it in Russian without a crash, and it
renders at 80×24 and 200×60 with hostile names in the data."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from crm_tui.app import CrmApp
from crm_tui.i18n import _, current_language, set_language
from crm_tui.sections import SECTIONS
from tests.functional.integration.helpers import alive, start, wait_until
from tests.support.screen import screen_text, settle


def header_title(app: CrmApp) -> str:
    titles = app.screen.query("#header-title")
    return str(titles.first(Static).render()) if titles else ""


def russian_title(mode: str) -> str:
    """The section's title in Russian, from the catalogs."""
    title = next(section.title for section in SECTIONS if section.mode == mode)
    previous = current_language()
    set_language("ru")
    try:
        return _(title)
    finally:
        set_language(previous)


async def test_language_switch_on_every_section(url: str) -> None:
    app = CrmApp(url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await start(pilot)
        for section in SECTIONS:
            await pilot.press(section.key)
            await wait_until(pilot, lambda s=section: type(app.screen).__name__ == s.screen_class,
                             what=f"{section.screen_class} shown")
            await settle(pilot)
            russian = russian_title(section.mode)
            assert russian != section.title, section.mode
            await pilot.press("f2")
            await wait_until(pilot, lambda s=section, r=russian: current_language() == "ru"
                             and type(app.screen).__name__ == s.screen_class
                             and r in header_title(app), what=f"{section.mode} in Russian")
            await settle(pilot)
            shown = screen_text(app)
            assert russian in shown, shown
            alive(app)
            await pilot.press("f2")
            await wait_until(pilot, lambda s=section: current_language() == "en"
                             and type(app.screen).__name__ == s.screen_class
                             and s.title in header_title(app), what=f"{section.mode} in English")
            await settle(pilot)
            alive(app)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_every_section_renders_small_and_large(url: str, size: tuple[int, int]) -> None:
    app = CrmApp(url, language="en")
    async with app.run_test(size=size) as pilot:
        await start(pilot)
        for section in SECTIONS:
            await pilot.press(section.key)
            await wait_until(pilot, lambda s=section: type(app.screen).__name__ == s.screen_class,
                             what=f"{section.screen_class} shown")
            await settle(pilot)
            shown = screen_text(app)
            lines = shown.splitlines()
            assert len(lines) == size[1], section.mode
            assert section.title in header_title(app), section.mode
            assert "\x1b" not in shown and "\x07" not in shown, section.mode
            if section.mode == "partners" and size[0] >= 120:
                await wait_until(pilot, lambda: "[@click=app.quit]x[/]" in screen_text(app),
                                 what="the hostile partner name shown literally")
            alive(app)
