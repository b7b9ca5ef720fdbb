"""The records behind a report number: a paged list; Enter opens the record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from crm_tui.domain.formatting import show_date, show_moment, show_money
from crm_tui.i18n import N_, _
from crm_tui.screens.navigation import open_record
from crm_tui.screens.shell.base import CrmScreen
from crm_tui.widgets.header import AppHeader
from crm_tui.widgets.key_bar import KeyBar
from crm_tui.widgets.status_line import StatusLine
from crm_tui.widgets.virtual_list import Column, Row, VirtualList, label_width

if TYPE_CHECKING:
    from crm_tui.reports.drilldown import DrillItem, DrillSpec
    from crm_tui.store.database import Database

DASH = "—"
STATUS = {
    "open": N_("open"), "won": N_("won"), "lost": N_("lost"), "satisfied": N_("satisfied"),
    "not_satisfied": N_("not satisfied"), "in_progress": N_("in progress"), "done": N_("done"),
}


class DrillSource:
    """A RowSource over the records behind a report number (runs in worker threads)."""

    def __init__(self, db: Database, spec: DrillSpec) -> None:
        self.db = db
        self.spec = spec

    def count(self) -> int:
        from crm_tui.reports.drilldown import drill_count

        with self.db.read() as session:
            return drill_count(session.connection(), self.spec)

    def fetch(self, offset: int, limit: int) -> Sequence[Row]:
        from crm_tui.reports.drilldown import drill_fetch

        with self.db.read() as session:
            items = drill_fetch(session.connection(), self.spec, offset, limit)
        return [to_row(item) for item in items]


def to_row(item: DrillItem) -> Row:
    """A drill-down record as list cells (the list strips control characters)."""
    if item.when is None:
        when = DASH
    else:
        when = show_moment(item.when) if item.entity == "interaction" else show_date(item.when)
    status = _(STATUS[item.status]) if item.status in STATUS else item.status
    amount = show_money(item.amount) if item.amount is not None else ""
    cells = (item.key, when, item.name or DASH, item.partner or DASH, item.detail or DASH,
             item.manager or DASH, status, amount)
    muted = item.status in ("lost", "not_satisfied")
    return Row(item.key, cells, "muted" if muted else "")


def columns(entity: str) -> list[Column]:
    """The list columns for deals, claims or interactions."""
    detail = {"deal": _("Stage"), "claim": _("Reason"), "interaction": _("Kind")}[entity]
    name = {"deal": _("Deal"), "claim": _("Description"), "interaction": _("Topic")}[entity]
    when = {"deal": _("Created"), "claim": _("Registered"), "interaction": _("Date")}[entity]
    # Keys, dates, statuses and amounts are never cut: narrow, the manager goes first, then
    # the stage (reason, kind).
    return [
        Column(_("ID"), 10), Column(when, 16 if entity == "interaction" else 10),
        Column(name, min_width=10), Column(_("Partner"), min_width=10),
        Column(detail, min_width=10, drop=2), Column(_("Manager"), min_width=9, drop=3),
        Column(_("Status"), label_width(*STATUS.values())),
        Column(_("Amount"), 16 if entity == "deal" else 0, "right"),
    ]


class ReportDrilldownScreen(CrmScreen[None]):
    """The deals, claims or interactions a report number counts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="drilldown.back"),
        Binding("enter", "open", N_("Open record"), id="drilldown.open", show=True),
    ]
    CSS_PATH = "reports.tcss"

    def __init__(self, spec: DrillSpec, title: str) -> None:
        super().__init__()
        self.spec = spec
        self.title_text = title
        self.count: int | None = None

    def compose(self) -> ComposeResult:
        # Not inside the f-string: the catalog extractor does not look into f-strings.
        section, drill = _("Reports"), _("Drill-down")
        yield AppHeader(f"{section} · {drill}")
        yield Static(Text(self.title_text), id="drill-title", markup=False)
        yield StatusLine(_("Counting…"), id="drill-count")
        yield VirtualList(columns(self.spec.entity), id="drill-list",
                          empty_text=_("No records behind this number"))
        yield KeyBar()

    def on_mount(self) -> None:
        database = self.crm.db
        if database is not None:
            self.query_one(VirtualList).set_source(DrillSource(database, self.spec))
        self.query_one(VirtualList).focus()

    @on(VirtualList.Counted)
    def _counted(self, event: VirtualList.Counted) -> None:
        self.count = event.count
        self.query_one("#drill-count", StatusLine).update(
            Text(_("Records: {count}").format(count=event.count)))

    @on(VirtualList.Selected)
    def _selected(self, event: VirtualList.Selected) -> None:
        event.stop()
        if event.row is not None:
            self.open_record(str(event.row.key))

    def action_open(self) -> None:
        row = self.query_one(VirtualList).highlighted_row
        if row is not None:
            self.open_record(str(row.key))

    def action_back(self) -> None:
        self.dismiss(None)

    def open_record(self, key: str) -> None:
        """Open the record's form."""
        open_record(self, self.spec.entity, key)
