"""The Agreements section: every agreement with filters by kind, status, partner and price
type; opens the agreement form to create, edit or base an individual agreement on a typical
one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal

from crm_tui.domain.enums import LABELS, AgreementKind, AgreementStatus
from crm_tui.domain.formatting import show_date
from crm_tui.i18n import N_, _
from crm_tui.screens.navigation import new_record, open_history
from crm_tui.screens.shell.base import SectionScreen, warm_list
from crm_tui.store.partner_lookup import PartnerLookup
from crm_tui.widgets.filter_choice import FilterChoice
from crm_tui.widgets.partner_choice import PartnerChoice
from crm_tui.widgets.status_line import StatusLine
from crm_tui.widgets.virtual_list import Column, Row, VirtualList, label_width

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm_tui.store.database import Database
    from crm_tui.store.repo_agreements import AgreementFilter, AgreementRow


def label(value: str) -> str:
    """The translated label of an enum value (kind, status)."""
    return _(LABELS.get(value, value))


def validity(start: date | None, end: date | None) -> str:
    """"2025-01-01 – 2025-12-31", open ends shown as "…"."""
    if start is None and end is None:
        return ""
    return f"{show_date(start, '…')} – {show_date(end, '…')}"


def agreement_row(row: AgreementRow) -> Row:
    """One list row; closed agreements are muted."""
    return Row(row.key, (row.key, row.name, label(row.kind), row.partner_name or "",
                         row.price_type or "", validity(row.valid_from, row.valid_to),
                         label(row.status)),
               "muted" if row.status == AgreementStatus.CLOSED else "")


class AgreementSource:
    """Agreements passing the filters, paged by key (runs in worker threads)."""

    def __init__(self, db: Database, flt: AgreementFilter) -> None:
        self.db = db
        self.flt = flt

    def count(self) -> int:
        from crm_tui.store.repo_agreements import count_agreements

        with self.db.read() as session:
            return count_agreements(session, self.flt)

    def fetch(self, offset: int, limit: int) -> Sequence[Row]:
        from crm_tui.store.repo_agreements import list_agreements

        with self.db.read() as session:
            return [agreement_row(row) for row in list_agreements(session, self.flt, offset,
                                                                   limit)]


class AgreementsScreen(SectionScreen):
    """Agreements with clients (typical and individual)."""

    # The list has the focus from the start (moving it there after loading cost a frame).
    AUTO_FOCUS = "VirtualList"

    SECTION = "agreements"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new('typical')", N_("New typical"), id="agreements.new_typical"),
        Binding("i", "new('individual')", N_("New individual"), id="agreements.new_individual"),
        Binding("b", "from_typical", N_("Individual from typical"),
                id="agreements.from_typical"),
        Binding("e", "open", N_("Open record"), id="agreements.open"),
        Binding("h", "history", N_("History"), id="agreements.history"),
        Binding("f", "filters", N_("Filters"), id="agreements.filters"),
        Binding("x", "clear_filters", N_("Clear filters"), id="agreements.clear_filters"),
        Binding("escape", "to_list", N_("To the list"), id="agreements.to_list", show=False),
    ]
    CSS_PATH = "agreements.tcss"

    _price_types_loaded = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="agreements-filters"):
            yield FilterChoice([(Text(label(k.value)), k.value) for k in AgreementKind],
                         prompt=_("Any kind"), id="filter-kind")
            yield FilterChoice([(Text(label(s.value)), s.value) for s in AgreementStatus],
                         prompt=_("Any status"), id="filter-status")
            yield FilterChoice(prompt=_("Any price type"), id="filter-price")
            yield PartnerChoice(prompt=_("Any partner"), source=PartnerLookup(self.app),
                                id="filter-partner")
        # The price type goes first when narrow, then the kind; numbers, dates and
        # statuses are never cut.
        yield VirtualList([
            Column(_("Number"), 10), Column(_("Name"), min_width=12),
            Column(_("Kind"), label_width(*(LABELS[k.value] for k in AgreementKind)), drop=2),
            Column(_("Partner"), min_width=10), Column(_("Price type"), 14, drop=3),
            Column(_("Valid"), 23),
            Column(_("Status"), label_width(*(LABELS[s.value] for s in AgreementStatus))),
        ], id="agreements-list", empty_text=_("No agreements match the filters"),
            on_count=self._show_count)
        yield StatusLine(id="agreements-status")

    # ------------------------------------------------------------- loading
    @classmethod
    def warm(cls, db: Database) -> None:
        from crm_tui.store.repo_agreements import AgreementFilter

        warm_list(AgreementSource(db, AgreementFilter()))

    def on_database_ready(self) -> None:
        self.reload()
        self.query_one(VirtualList).focus()

    def load_price_types(self) -> None:
        def read(session: Session) -> list[tuple[str, str]]:
            from crm_tui.store.repo_classifiers import list_values

            return [(value.name, value.code) for value in list_values(session, "price_type")]

        self.load_data(read, self._show_price_types)

    def _show_price_types(self, values: list[tuple[str, str]]) -> None:
        select = self.query_one("#filter-price", FilterChoice)
        current = select.value
        select.set_options([(Text(name), code) for name, code in values])
        if current != FilterChoice.NULL and current in {code for _name, code in values}:
            select.value = current

    def current_filter(self) -> AgreementFilter:
        """The filters as chosen now."""
        from crm_tui.store.repo_agreements import AgreementFilter

        def chosen(selector: str) -> str | None:
            value = self.query_one(selector, FilterChoice).value
            return None if value == FilterChoice.NULL else str(value)

        return AgreementFilter(kind=chosen("#filter-kind"), status=chosen("#filter-status"),
                               partner_key=chosen("#filter-partner"),
                               price_type=chosen("#filter-price"))

    def reload(self, keep_cursor: bool = False) -> None:
        if self.crm.db is None:
            return
        self.query_one(VirtualList).set_source(AgreementSource(self.db, self.current_filter()),
                                               keep_cursor=keep_cursor)

    def on_data_changed(self) -> None:
        self.query_one(VirtualList).reload()

    def on_screen_resume(self) -> None:
        if self.crm.db is not None and self.returning:
            self.query_one(VirtualList).reload()

    @on(FilterChoice.Changed)
    def _filter_changed(self, event: FilterChoice.Changed) -> None:
        self.reload()

    @on(VirtualList.Counted)
    def _counted(self, event: VirtualList.Counted) -> None:
        if not self._price_types_loaded:  # after the first rows: they matter more
            self._price_types_loaded = True
            self.load_price_types()

    def _show_count(self, count: int) -> None:
        self.query_one("#agreements-status", StatusLine).update(
            Text(_("Agreements: {count}").format(count=count)))

    @on(VirtualList.Selected)
    def _selected(self, event: VirtualList.Selected) -> None:
        if event.row is not None:
            self._open_form(agreement_key=str(event.row.key))

    # ------------------------------------------------------------- actions
    def _highlighted(self) -> Row | None:
        return self.query_one(VirtualList).highlighted_row

    def _open_form(self, **arguments: Any) -> None:
        new_record(self, "agreement", on_done=self._form_closed, **arguments)

    def _form_closed(self, key: str | None) -> None:
        self.query_one(VirtualList).reload()
        self.query_one(VirtualList).focus()

    def action_new(self, kind: str) -> None:
        if self.crm.db is None:
            return
        if kind == AgreementKind.INDIVIDUAL:
            self._open_form(partner_key=self._partner_key() or "")
        else:
            self._open_form()

    def action_open(self) -> None:
        row = self._highlighted()
        if row is not None:
            self._open_form(agreement_key=str(row.key))

    def action_from_typical(self) -> None:
        row = self._highlighted()
        if row is None or row.cells[2] != label(AgreementKind.TYPICAL):
            self.notify(_("Highlight a typical agreement to base an individual one on it"),
                        severity="warning", markup=False)
            return
        self._open_form(based_on=str(row.key),
                        partner_key=self._partner_key())

    def action_history(self) -> None:
        row = self._highlighted()
        if row is None:
            return
        open_history(self, "agreement", str(row.key))

    def action_filters(self) -> None:
        self.query_one("#filter-kind", FilterChoice).focus()

    def action_to_list(self) -> None:
        self.query_one(VirtualList).focus()

    def action_clear_filters(self) -> None:
        for selector in ("#filter-kind", "#filter-status", "#filter-price", "#filter-partner"):
            self.query_one(selector, FilterChoice).clear()
        self.reload()

    def _partner_key(self) -> str | None:
        return self.query_one("#filter-partner", PartnerChoice).partner_key

