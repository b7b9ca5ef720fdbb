"""Issue 22 §3: Tab goes through a form's fields in the order they are seen, row by row,
left to right (the deal form went down its left column first)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.screen import Screen

from crm_tui.app import CrmApp
from tests.functional.integration.test_two_users_merge import (  # noqa: F401
    FORMS,
    shared_url,
)
from tests.support.screen import settle, wait_for_database, wait_until


def _order(screen: Screen[Any]) -> tuple[list[str], list[str]]:
    """The focus chain's fields (as Tab visits them) and the same sorted as seen."""
    shown = [w for w in screen.focus_chain if w.region.height > 0]
    chain = [(w.region.y, w.region.x, w.id or type(w).__name__) for w in shown]
    return [c[2] for c in chain], [c[2] for c in sorted(chain, key=lambda c: (c[0], c[1]))]


@pytest.mark.parametrize("kind", sorted(FORMS))
async def test_tab_follows_the_rows(shared_url: str, kind: str) -> None:  # noqa: F811
    form = FORMS[kind]
    app = CrmApp(shared_url, language="ru")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_database(pilot)
        screen = form.make(form.key)
        await app.push_screen(screen)
        await wait_until(pilot, lambda: form.ready(screen), what=f"the {kind} form loaded")
        await settle(pilot)
        chain, seen = _order(screen)
        assert len(chain) > 2 and chain == seen, chain


async def test_tab_follows_the_rows_in_a_new_deal(shared_url: str) -> None:  # noqa: F811
    from crm_tui.screens.deals.form import DealFormScreen

    app = CrmApp(shared_url, language="ru")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_database(pilot)
        screen = DealFormScreen()
        await app.push_screen(screen)
        await wait_until(pilot, lambda: screen.choices is not None)
        await settle(pilot)
        chain, seen = _order(screen)
        assert chain[1:5] == ["name", "kind", "partner-picker-input", "manager"], chain
        assert chain == seen, chain
