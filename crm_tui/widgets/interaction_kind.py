"""An interaction's kind as lists show it: short names, in a column never cut.

The full names ("Запланированное взаимодействие", "Телефонный звонок") are too long for a
list at 80 columns, and a cut one ("Телефонный") says less than a short one ("Звонок")."""

from __future__ import annotations

from rich.cells import cell_len

from crm_tui.i18n import N_, _
from crm_tui.widgets.virtual_list import Column

SHORT_KINDS = {"meeting": N_("Meeting"), "planned": N_("Scheduled"), "call": N_("Phone call"),
               "email": N_("E-mail"), "sms": N_("SMS")}


def short_kind(kind: str) -> str:
    """The kind's short name in the current language (an unknown code as it is)."""
    return _(SHORT_KINDS[kind]) if kind in SHORT_KINDS else kind


def kind_column() -> Column:
    """The kind column, as wide as its longest name in the current language."""
    return Column(_("Kind"), max(cell_len(_(name))
                                 for name in (*SHORT_KINDS.values(), N_("Kind"))))
