"""Every section and the main forms at 80×24 and 120×36, in English and Russian (fixed
clock, the spec's small data, no blinking cursors): a layout that cuts a key, a number or a
word shows up as a changed picture."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from textual.widgets.input import Selection

from crm_tui.app import CrmApp
from crm_tui.exchange.importer import import_file
from crm_tui.store.database import Database
from tests.conftest import small_jsonl_path
from tests.support.login import set_login_for_tests
from tests.support.screen import settle, wait_for_database, wait_until

SIZES = {"80x24": (80, 24), "120x36": (120, 36)}


def _app(tmp_path: Path, language: str) -> CrmApp:
    url = f"sqlite:///{tmp_path / 'snap.sqlite3'}"
    database = Database.open(url)
    import_file(database, small_jsonl_path())
    database.close()
    set_login_for_tests("petrova")
    app = CrmApp(url, language=language)
    app.db_label = "/srv/crm/office.sqlite3"  # the tmp path differs on every run
    return app


async def _section(pilot: Pilot[Any], key: str, screen: str) -> None:
    await wait_for_database(pilot)
    await pilot.press(key)
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == screen, what=screen)


async def _pushed(pilot: Pilot[Any], make: Callable[[], Any], loaded: Callable[[Any], bool]
                  ) -> None:
    await wait_for_database(pilot)
    await settle(pilot)
    screen = make()
    pilot.app.push_screen(screen)
    await wait_until(pilot, lambda: pilot.app.screen is screen and loaded(screen),
                     what=type(screen).__name__)


def _partner_card() -> Any:
    from crm_tui.screens.partners.card import PartnerCardScreen

    return PartnerCardScreen("P00001")


def _deal_form() -> Any:
    from crm_tui.screens.deals.form import DealFormScreen

    return DealFormScreen(deal_key="D000001")


def _claim_form() -> Any:
    from crm_tui.screens.claims.form import ClaimFormScreen

    return ClaimFormScreen(claim_key="CL00001")


def _interaction_form() -> Any:
    from crm_tui.screens.interactions.form import InteractionFormScreen

    return InteractionFormScreen(interaction_key="I000001")


def _agreement_form() -> Any:
    from crm_tui.screens.agreements.form import AgreementFormScreen

    return AgreementFormScreen(agreement_key="A0001")


def _wizard() -> Any:
    from crm_tui.screens.partners.wizard import PartnerWizardScreen

    return PartnerWizardScreen()


def _has(selector: str) -> Callable[[Any], bool]:
    return lambda screen: bool(screen.query(selector))


SCREENS: dict[str, Callable[[Pilot[Any]], Awaitable[None]]] = {
    "home": lambda pilot: wait_for_database(pilot),
    "partners": lambda pilot: _section(pilot, "1", "PartnersScreen"),
    "partner-card": lambda pilot: _pushed(pilot, _partner_card,
                                          lambda s: s.view is not None),
    "deals-board": lambda pilot: _section(pilot, "2", "DealsScreen"),
    "deal-form": lambda pilot: _pushed(pilot, _deal_form, lambda s: s.base is not None),
    "inbox": lambda pilot: _section(pilot, "3", "InboxScreen"),
    "calendar": lambda pilot: _section(pilot, "4", "CalendarScreen"),
    "claims": lambda pilot: _section(pilot, "5", "ClaimsScreen"),
    "claim-form": lambda pilot: _pushed(pilot, _claim_form, lambda s: s.data is not None),
    "agreements": lambda pilot: _section(pilot, "6", "AgreementsScreen"),
    "agreement-form": lambda pilot: _pushed(pilot, _agreement_form,
                                            lambda s: s.loaded is not None),
    "interaction-form": lambda pilot: _pushed(pilot, _interaction_form,
                                              lambda s: s._opened is not None),
    "partner-wizard": lambda pilot: _pushed(pilot, _wizard, _has("#wc-table")),
    "reports": lambda pilot: _section(pilot, "7", "ReportsScreen"),
    "settings": lambda pilot: _section(pilot, "8", "SettingsScreen"),
}


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare: Any, tmp_path: Path, fixed_now: Any, screen: str, size: str,
                language: str) -> None:
    async def ready(pilot: Pilot[Any]) -> None:
        await SCREENS[screen](pilot)
        await settle(pilot)
        # A blinking cursor would make the picture depend on the moment it is taken.
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
            # Input selects its text on focus, and whether the value was set before or after
            # that depends on timing: one state for every run (no selection, cursor at end).
            field.selection = Selection.cursor(len(field.value))
        for area in pilot.app.screen.query(TextArea):
            area.cursor_blink = False
        await settle(pilot)
        await pilot.pause()

    assert snap_compare(_app(tmp_path, language), terminal_size=SIZES[size], run_before=ready)
