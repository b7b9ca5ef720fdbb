"""Command palette provider: the sections and app commands by name, in the UI language."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from crm_tui.i18n import _
from crm_tui.sections import SECTIONS

if TYPE_CHECKING:
    from crm_tui.app import CrmApp


class SectionCommands(Provider):
    """"Partners", "Deals", …, "Help", "Switch language"."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("CrmApp", self.app)
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (_(section.title), _("Open section: {name}").format(name=_(section.title)),
             partial(app.action_section, section.mode))
            for section in SECTIONS
        ]
        commands.append((_("Help"), _("Every key of the app"), app.action_help))
        commands.append((_("Switch language"), _("Russian / English"), app.action_switch_language))
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
