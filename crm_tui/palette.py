"""Command palette providers: the sections and app commands by name, in the UI language, the
current screen's own actions (its keys: "New deal", "Snooze", …), and any record by its key
("D-000123" offers "Open deal D-000123")."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from crm_tui.i18n import N_, _
from crm_tui.sections import SECTIONS

if TYPE_CHECKING:
    from crm_tui.app import CrmApp
    from crm_tui.store.database import Database
    from crm_tui.store.lookup import FoundRecord

OPEN = {"partner": N_("Open partner {key}"), "deal": N_("Open deal {key}"),
        "claim": N_("Open claim {key}"), "interaction": N_("Open interaction {key}"),
        "agreement": N_("Open agreement {key}")}
IMPORTS = {"partners": N_("Import partners from a spreadsheet"),
           "contacts": N_("Import contacts from a spreadsheet"),
           "deals": N_("Import deals from a spreadsheet")}
LONGEST_KEY = 64  # the key columns' length


class ListedCommands(Provider):
    """A provider of a fixed list of (name, help, callback): shown when the palette opens,
    matched by name as the user types."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


class SectionCommands(ListedCommands):
    """"Partners", "Deals", …, "Help", "Switch language"."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("CrmApp", self.app)
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (_(section.title), _("Open section: {name}").format(name=_(section.title)),
             partial(app.action_section, section.mode))
            for section in SECTIONS
        ]
        for target, title in IMPORTS.items():
            commands.append((_(title), _("From a CSV or XLSX file, columns matched by header"),
                             partial(app.action_import_table, target)))
        commands.append((_("Export the list"), _("The list on screen to CSV or XLSX (Ctrl+X)"),
                         app.action_export_list))
        commands.append((_("Help"), _("Every key of the app"), app.action_help))
        commands.append((_("Switch language"), _("Russian / English"), app.action_switch_language))
        return commands


class ScreenCommands(ListedCommands):
    """The actions of the screen the palette was opened on, from its key bindings: their
    translated descriptions, with their keys as help ("w/ц")."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("CrmApp", self.app)
        nodes = {binding.id: node for (node, binding, enabled, _tooltip)
                 in self.screen.active_bindings.values() if enabled and binding.id}
        commands: list[tuple[str, str, Callable[[], object]]] = []
        for keys, description, binding in app.screen_bindings(self.screen):
            node = nodes.get(binding.id or "")
            if node is not None:
                commands.append((description, _("Key: {keys}").format(keys=keys),
                                 partial(app.run_action, binding.action, node)))
        return commands


def _records(db: Database, text: str) -> list[FoundRecord]:
    """The records keyed `text` (runs in a thread: the palette's search is on the event loop)."""
    from crm_tui.store.lookup import records_by_key

    with db.read() as session:
        return records_by_key(session, text)


class RecordCommands(Provider):
    """A typed record key (D-000123, CL-000007, a partner's key): "Open deal D-000123"."""

    async def search(self, query: str) -> Hits:
        from crm_tui.domain.text import safe_display
        from crm_tui.screens.navigation import open_record

        text = query.strip()
        app = cast("CrmApp", self.app)
        if app.db is None or not text or len(text) > LONGEST_KEY or any(c.isspace() for c in text):
            return
        for record in await asyncio.to_thread(_records, app.db, text):
            name = _(OPEN[record.kind]).format(key=record.key)
            # The help line is markup to the palette: a title is user data, so escaped.
            yield Hit(1.0, Content(name), partial(open_record, app, record.kind, record.key),
                      text=name, help=escape(safe_display(record.title)[:80]) or None)
