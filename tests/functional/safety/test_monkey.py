"""A monkey at the keyboard: a few thousand seeded random keys across every section (and
whatever forms and dialogs they open) without an exception.

Sections come from crm_tui.sections.SECTIONS, so screens added later are visited too."""

from __future__ import annotations

import random
import string
import time

import pytest

from crm_tui.app import CrmApp
from crm_tui.sections import SECTIONS
from tests.functional.safety.helpers import SIZE, assert_alive, make_hostile_database, start
from tests.support.screen import settle

pytestmark = pytest.mark.slow

PRESSES = 3000
PER_TURN = 60  # keys per section turn; the sections take turns, round and round
BUDGET_S = 45.0  # stop early on a slow machine, after every section had its turn
SEED = 20260115
NAVIGATION = ["up", "down", "left", "right", "pageup", "pagedown", "home", "end", "tab",
              "shift+tab", "enter", "escape", "backspace", "delete", "space"]
FUNCTION = ["f1", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f12"]
CONTROL = ["ctrl+s", "ctrl+n", "ctrl+f", "ctrl+k", "ctrl+t", "ctrl+d", "ctrl+p", "ctrl+e",
           "ctrl+r", "ctrl+a", "shift+left", "shift+right", "shift+up", "shift+down",
           "left_square_bracket", "right_square_bracket", "slash", "plus", "minus"]
PRINTABLE = list(string.ascii_letters + string.digits + "ёжЯ.,-_@ ")
# Never: ctrl+q / ctrl+c (quit), ctrl+z (suspend the test process).


def _key(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        return rng.choice(NAVIGATION)
    if roll < 0.75:
        return rng.choice(PRINTABLE)
    if roll < 0.92:
        return rng.choice(CONTROL)
    if roll < 0.995:
        return rng.choice(FUNCTION)
    return "f2"  # the language switch rebuilds every screen


async def test_monkey_across_every_screen(db_url: str, fixed_now: object) -> None:
    make_hostile_database(db_url)
    rng = random.Random(SEED)
    app = CrmApp(db_url, language="en")
    visited: set[str] = set()
    screens: set[str] = set()
    trail: list[tuple[str, str, str]] = []  # (screen, focused widget, key), for the report
    try:
        await _monkey(app, rng, visited, screens, trail)
    except Exception as error:
        raise AssertionError(f"after these keys: {trail[-12:]}") from error
    assert visited >= {section.mode for section in SECTIONS}, visited
    assert len(screens) > len(SECTIONS) // 2, screens


async def _monkey(app: CrmApp, rng: random.Random, visited: set[str], screens: set[str],
                  trail: list[tuple[str, str, str]]) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        started = time.monotonic()
        for presses in range(PRESSES):
            if presses % PER_TURN == 0:  # every section gets its turn, by its key
                section = SECTIONS[(presses // PER_TURN) % len(SECTIONS)]
                for _ in range(4):
                    if len(app.screen_stack) <= 1:
                        break
                    await pilot.press("escape")
                app.set_focus(None)
                await pilot.press(section.key)
                await settle(pilot)
                visited.add(app.current_mode)
            key = _key(rng)
            trail.append((type(app.screen).__name__, type(app.focused).__name__, key))
            await pilot.press(key)
            screens.add(type(app.screen).__name__)
            if presses % 25 == 0:
                assert_alive(app)
            if time.monotonic() - started > BUDGET_S and visited >= {s.mode for s in SECTIONS}:
                break
        await settle(pilot)
        assert_alive(app)
