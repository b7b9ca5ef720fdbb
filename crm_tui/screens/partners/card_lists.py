"""The partner card's list tabs: legal entities, contacts and the paged related records."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from crm_tui.domain.enums import (
    LABELS,
    AgreementKind,
    AgreementStatus,
    ClaimStatus,
    DealStatus,
    InteractionStatus,
)
from crm_tui.domain.formatting import show_date, show_moment, show_money
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.widgets.interaction_kind import SHORT_KINDS, kind_column, short_kind
from crm_tui.widgets.table_fill import fill_table
from crm_tui.widgets.virtual_list import Column, Row, label_width

if TYPE_CHECKING:
    from crm_tui.store.database import Database
    from crm_tui.store.repo_partners_read import ContactView, CounterpartyView
    from crm_tui.store.repo_partners_related import RelatedRecord


@dataclass(frozen=True)
class RelatedSource:
    """Pages of one kind of a partner's records (deals, interactions, claims, agreements)."""

    db: Database
    kind: str
    partner_key: str

    def count(self) -> int:
        from crm_tui.store.repo_partners_related import related_count

        with self.db.read() as session:
            return related_count(session, self.kind, self.partner_key)

    def fetch(self, offset: int, limit: int) -> Sequence[Row]:
        from crm_tui.store.repo_partners_related import related_page

        with self.db.read() as session:
            records = related_page(session, self.kind, self.partner_key, offset, limit)
        return [Row(r.key, (r.key, *related_cells(r))) for r in records]


def _cell(value: object) -> str:
    """Stored text; a timestamp to the minute."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return show_moment(value)
    if isinstance(value, date):
        return show_date(value)
    text = str(value)
    if len(text) >= 16 and text[4] == "-" and text[10] in " T":
        try:
            return show_moment(datetime.fromisoformat(text[:16]))
        except ValueError:
            return text[:16]
    return text


def related_cells(record: RelatedRecord) -> tuple[str, ...]:
    """A related record's columns as the card shows them: amounts in money format,
    statuses and kinds translated, timestamps to the minute."""
    from crm_tui.domain.money import from_minor

    cells = []
    for name, value in record.values:
        if name == "amount_minor":
            cells.append(show_money(from_minor(int(str(value or 0)))))
        elif name == "kind" and isinstance(value, str) and value in SHORT_KINDS:
            cells.append(short_kind(value))
        elif name in ("status", "kind") and isinstance(value, str) and value in LABELS:
            cells.append(_(LABELS[value]))
        else:
            cells.append(_cell(value))
    return tuple(cells)


def related_columns(kind: str) -> list[Column]:
    """The columns of a related list."""
    def status(values: Iterable[StrEnum]) -> Column:
        return Column(_("Status"), label_width(N_("Status"), *(LABELS[v.value] for v in values)))

    key = Column(_("Number"), 10)
    if kind == "deal":
        return [key, Column(_("Name")), status(DealStatus), Column(_("Created"), 16, drop=1),
                Column(_("Amount"), 16, "right")]
    if kind == "interaction":
        return [key, Column(_("When"), 16), kind_column(), Column(_("Topic")),
                status(InteractionStatus)]
    if kind == "claim":
        return [key, Column(_("Registered"), 16), status(ClaimStatus),
                Column(_("Description"))]
    return [key, Column(_("Name")),
            Column(_("Kind"), label_width(*(LABELS[k.value] for k in AgreementKind))),
            status(AgreementStatus), Column(_("Valid from"), 11)]


def fill_counterparties(table: DataTable[Text], items: Sequence[CounterpartyView],
                        partner_key: str) -> None:
    """Show the legal entities (a small list: DataTable); "also linked to" names the other
    partners of each, never the partner whose card this is."""
    fill_table(table, [_("INN"), _("KPP"), _("Short name"), _("OGRN"), _("Also linked to")],
               [(Text(c.inn), Text(c.kpp), Text(safe_display(c.short_name)), Text(c.ogrn),
                 Text(", ".join(k for k in c.partner_keys if k != partner_key)))
                for c in items], keys=[c.key for c in items])


def fill_contacts(table: DataTable[Text], items: Sequence[ContactView]) -> None:
    """Show the contacts."""
    fill_table(table, [_("Name"), _("Position"), _("Phones"), _("E-mails")],
               [(Text(safe_display(c.name)), Text(safe_display(c.position)),
                 Text(", ".join(c.phones)), Text(safe_display(", ".join(c.emails))))
                for c in items], keys=[c.key for c in items])
