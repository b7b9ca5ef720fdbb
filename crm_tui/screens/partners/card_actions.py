"""Opening other sections' forms for a partner, imported lazily (they may not exist yet)."""

from __future__ import annotations

import importlib
from typing import Any

from textual.screen import Screen

from crm_tui.i18n import _

# kind -> (module, class, keyword arguments builder)
FORMS: dict[str, tuple[str, str]] = {
    "claim": ("crm_tui.screens.claims.form", "ClaimFormScreen"),
    "interaction": ("crm_tui.screens.interactions.form", "InteractionFormScreen"),
    "deal": ("crm_tui.screens.deals.form", "DealFormScreen"),
    "agreement": ("crm_tui.screens.agreements.form", "AgreementFormScreen"),
}


def form_for(kind: str, partner_key: str) -> Screen[Any] | None:
    """A new-record form of `kind` with the partner filled in, or None if not built yet."""
    module_name, class_name = FORMS[kind]
    try:
        module = importlib.import_module(module_name)
        screen_class = getattr(module, class_name)
    except (ImportError, AttributeError):
        return None
    if kind == "claim":
        return screen_class(partner_key=partner_key, source="partner")  # type: ignore[no-any-return]
    return screen_class(partner_key=partner_key)  # type: ignore[no-any-return]


def open_form(screen: Screen[Any], kind: str, partner_key: str | None,
              on_done: Any = None) -> None:
    """Push the form of `kind` for `partner_key` or tell the user why not."""
    if partner_key is None:
        screen.notify(_("Choose a partner first"), severity="warning", markup=False)
        return
    form = form_for(kind, partner_key)
    if form is None:
        screen.notify(_("This is not available yet"), severity="warning", markup=False)
        return
    screen.app.push_screen(form, on_done)


def open_record(screen: Screen[Any], kind: str, key: str) -> None:
    """Open an existing record of `kind` (deal, claim, interaction, agreement) in its form."""
    module_name, class_name = FORMS[kind]
    try:
        module = importlib.import_module(module_name)
        screen_class = getattr(module, class_name)
    except (ImportError, AttributeError):
        screen.notify(_("This is not available yet"), severity="warning", markup=False)
        return
    screen.app.push_screen(screen_class(**{f"{kind}_key": key}))
