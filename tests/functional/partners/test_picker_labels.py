"""Issue 22 §5: the partner pickers of the deal, claim and interaction forms show each
suggestion's key and region beside its name and INN (look-alikes can be told apart)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Input, OptionList

from crm_tui.app import CrmApp
from crm_tui.widgets.partner_picker import PartnerPicker
from tests.functional.partners.conftest import wait_db
from tests.support.screen import wait_until


def _deal() -> Screen[Any]:
    from crm_tui.screens.deals.form import DealFormScreen

    return DealFormScreen()


def _claim() -> Screen[Any]:
    from crm_tui.screens.claims.form import ClaimFormScreen

    return ClaimFormScreen()


def _interaction() -> Screen[Any]:
    from crm_tui.screens.interactions.form import InteractionFormScreen

    return InteractionFormScreen()


@pytest.mark.parametrize("make", [_deal, _claim, _interaction])
async def test_suggestions_show_key_and_region(partners_db: str, make: Any) -> None:
    app = CrmApp(partners_db, language="ru")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_db(app, pilot)
        form = make()
        await app.push_screen(form)
        await wait_until(pilot, lambda: bool(form.query(PartnerPicker)))
        picker = form.query(PartnerPicker).first()
        field = picker.query_one("#partner-picker-input", Input)
        field.focus()
        await pilot.pause()
        await pilot.press(*"ромаш")

        def prompts() -> list[str]:
            return [str(option.prompt) for options in picker.query(OptionList)
                    for option in options.options]

        await wait_until(pilot, lambda: bool(prompts()), what="suggestions")
        shown = prompts()[0]
        assert "Ромашка" in shown and "7707083893" in shown, shown
        assert "P1" in shown and "Москва" in shown, shown
