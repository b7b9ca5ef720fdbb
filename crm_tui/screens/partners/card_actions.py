"""A partner's new records (claim, interaction, deal, agreement) from its list or card."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from crm_tui.i18n import _
from crm_tui.screens.navigation import Done, new_record

# What a new record of a kind is told, besides the partner, when made from a partner.
PREFILL: dict[str, dict[str, str]] = {"claim": {"source": "partner"}}


def open_form(screen: Screen[Any], kind: str, partner_key: str | None,
              on_done: Done = None) -> None:
    """Push the new-record form of `kind` for `partner_key` or tell the user why not."""
    if partner_key is None:
        screen.notify(_("Choose a partner first"), severity="warning", markup=False)
        return
    new_record(screen, kind, on_done=on_done, partner_key=partner_key,
               **PREFILL.get(kind, {}))
