"""The Inbox section."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from crm_tui.i18n import _
from crm_tui.screens.base import SectionScreen


class InboxScreen(SectionScreen):
    """The Inbox section (its screens are being built)."""

    SECTION = "inbox"

    def compose_body(self) -> ComposeResult:
        yield Static(Text(_("This section is not built yet.")), markup=False)
