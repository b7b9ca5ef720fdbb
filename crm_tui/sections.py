"""The app's sections: their mode ids, keys and titles (translated where shown)."""

from __future__ import annotations

from dataclasses import dataclass

from crm_tui.i18n import N_


@dataclass(frozen=True)
class Section:
    mode: str
    key: str
    title: str  # English source string; show it through _()
    module: str  # crm_tui.screens.<module>
    screen_class: str


SECTIONS: tuple[Section, ...] = (
    Section("home", "0", N_("Home"), "shell.home", "HomeScreen"),
    Section("partners", "1", N_("Partners"), "partners.list", "PartnersScreen"),
    Section("deals", "2", N_("Deals"), "deals.board", "DealsScreen"),
    Section("inbox", "3", N_("Inbox"), "interactions.inbox", "InboxScreen"),
    Section("calendar", "4", N_("Calendar"), "interactions.calendar", "CalendarScreen"),
    Section("claims", "5", N_("Claims"), "claims.list", "ClaimsScreen"),
    Section("agreements", "6", N_("Agreements"), "agreements.list", "AgreementsScreen"),
    Section("reports", "7", N_("Reports"), "reports.list", "ReportsScreen"),
    Section("settings", "8", N_("Settings"), "settings.settings", "SettingsScreen"),
)

BY_MODE = {section.mode: section for section in SECTIONS}
