"""The Claims section: every claim with its plan progress and next due task, filters, and
registering new claims (from the list or from a discrepancy act)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.widgets import Input, Static

from crm_tui.domain import claims as rules
from crm_tui.domain import clock
from crm_tui.domain.enums import LABELS, ClaimStatus
from crm_tui.domain.errors import DomainError
from crm_tui.domain.formatting import date_hint, show_date
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.navigation import new_record, open_chain, open_record
from crm_tui.screens.shell.base import SectionScreen, warm_list
from crm_tui.store.database import Database
from crm_tui.store.partner_lookup import PartnerLookup
from crm_tui.store.repo_claims import Choice
from crm_tui.store.repo_claims_list import ClaimFilter, ClaimRow, count_claims, fetch_claims
from crm_tui.widgets.filter_choice import FilterChoice
from crm_tui.widgets.partner_picker import PartnerPicker
from crm_tui.widgets.status_line import StatusLine
from crm_tui.widgets.virtual_list import Column, Row, VirtualList, label_width


def read_choices(session: Any) -> tuple[bool, list[Choice], list[Choice]]:
    """Whether claims are recorded, and the reasons and managers to filter by."""
    from crm_tui.store.repo_claims import claims_enabled, reasons, users

    return claims_enabled(session), reasons(session), users(session)


@dataclass(frozen=True)
class ClaimRowSource:
    """Pages of the claims list (called in worker threads)."""

    db: Database
    filters: ClaimFilter
    today: date

    def count(self) -> int:
        with self.db.read() as session:
            return count_claims(session, self.filters)

    def fetch(self, offset: int, limit: int) -> Sequence[Row]:
        with self.db.read() as session:
            rows = fetch_claims(session, self.filters, offset, limit)
        return [self._row(row) for row in rows]

    def _row(self, row: ClaimRow) -> Row:
        overdue = row.next_due is not None and row.next_due < self.today
        next_task = ""
        if row.next_due is not None:
            next_task = f"{show_date(row.next_due)} {row.next_task or ''}"
        cells = (
            row.key, show_date(row.registered_at), row.partner_name,
            row.reason_name, _(LABELS.get(row.status, row.status)),
            "✓" if row.posted else "", rules.format_progress(row.tasks_done, row.tasks_total),
            next_task,
        )
        style = "overdue" if overdue and row.status == ClaimStatus.OPEN else (
            "muted" if row.posted else "")
        return Row(row.key, cells, style)


ANY = "*"


class ClaimsScreen(SectionScreen):
    """The Claims section."""

    # The list has the focus from the start (moving it there after loading cost a frame).
    AUTO_FOCUS = "VirtualList"

    SECTION = "claims"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New claim"), id="claims.new"),
        Binding("a", "from_act", N_("From discrepancy act"), id="claims.act"),
        Binding("e", "open", N_("Open record"), id="claims.open"),
        Binding("c", "chain", N_("Interactions"), id="claims.chain"),
        Binding("t", "my_tasks", N_("My tasks"), id="claims.my_tasks"),
        Binding("f", "filters", N_("Filters"), id="claims.filters"),
        Binding("escape", "close_filters", show=False, id="claims.close_filters"),
    ]
    CSS_PATH = "claims.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.filters = ClaimFilter()
        self.enabled = True
        self._filter_fields_built = False
        self._reasons: list[Choice] = []
        self._users: list[Choice] = []

    def compose_body(self) -> ComposeResult:
        yield Static(Text(_("Customer claims are switched off in settings "
                            "(Settings → Record customer claims).")),
                     id="claims-off", markup=False)
        # The filter fields are built the first time the filters are opened (f): hidden,
        # they still cost the list's opening their composing and styling.
        yield Grid(id="claims-filters")
        yield StatusLine(id="claims-count")
        # Keys, dates and statuses are never cut: at 80 columns the next task goes.
        yield VirtualList([
            Column(_("Claim"), 10), Column(_("Registered"), 10),
            Column(_("Partner"), min_width=12), Column(_("Reason"), 12, drop=1),
            Column(_("Status"), label_width(*(LABELS[s.value] for s in ClaimStatus))),
            Column("✓", 1), Column(_("Plan"), 8), Column(_("Next task"), min_width=16, drop=2),
        ], id="claims-list", empty_text=_("No claims"), on_count=self._show_count)

    @classmethod
    def warm(cls, db: Database) -> None:
        warm_list(ClaimRowSource(db, ClaimFilter(), clock.now().date()))
        with db.read() as session:
            read_choices(session)

    def on_database_ready(self) -> None:
        # The list is read at once, beside the choices and the claims switch (on in most
        # databases; when it is off, the list is hidden when the switch is known).
        self._refresh_list()
        self.load_choices(reload=False)

    def on_data_changed(self) -> None:
        self.load_choices(keep_cursor=True)

    def on_screen_resume(self) -> None:
        if self.crm.db is not None and self.returning:
            self.load_choices(keep_cursor=True)

    def load_choices(self, keep_cursor: bool = False, reload: bool = True) -> None:
        self.load_data(read_choices, partial(self._choices, keep_cursor, reload))

    def _choices(self, keep_cursor: bool, reload: bool,
                 choices: tuple[bool, list[Choice], list[Choice]]) -> None:
        enabled, reasons, users = choices
        self.enabled = enabled
        self.set_class(not enabled, "-off")
        self._reasons, self._users = reasons, users
        if self._filter_fields_built:
            self._show_choices()
        if enabled:
            if reload:
                self._refresh_list(keep_cursor)
            if self.focused is None:  # shown again after the "switched off" notice
                self.query_one(VirtualList).focus()

    def _refresh_list(self, keep_cursor: bool = False) -> None:
        source = ClaimRowSource(self.db, self.filters, clock.now().date())
        self.query_one(VirtualList).set_source(source, keep_cursor=keep_cursor)

    def _show_count(self, count: int) -> None:
        self.query_one("#claims-count", StatusLine).update(
            Text(_("Claims: {count}").format(count=count)))

    # -------------------------------------------------------------- filters
    def _show_choices(self) -> None:
        for selector, choices in (("#filter-reason", self._reasons),
                                  ("#filter-manager", self._users)):
            select = self.query_one(selector, FilterChoice)
            if not select.has_focus and select.option_count != len(choices):
                select.set_options([(Text(safe_display(c.name)), c.code) for c in choices])

    async def _build_filter_fields(self) -> None:
        self._filter_fields_built = True
        await self.query_one("#claims-filters", Grid).mount_all([
            FilterChoice([(Text(_(LABELS[s.value])), s.value) for s in ClaimStatus],
                         prompt=_("Any status"), id="filter-status"),
            FilterChoice([(Text(_("Posted")), "yes"), (Text(_("Not posted")), "no")],
                         prompt=_("Posted or not"), id="filter-posted"),
            FilterChoice(prompt=_("Any reason"), id="filter-reason"),
            FilterChoice(prompt=_("Any manager"), id="filter-manager"),
            Input(placeholder=_("From ({hint})").format(hint=date_hint()), id="filter-from"),
            Input(placeholder=_("To ({hint})").format(hint=date_hint()), id="filter-to"),
            PartnerPicker(source=PartnerLookup(self.app), id="filter-partner",
                          placeholder=_("Any partner")),
        ])
        self._show_choices()

    async def action_filters(self) -> None:
        if not self._filter_fields_built:
            await self._build_filter_fields()
        self.toggle_class("-filters")
        if self.has_class("-filters"):
            self.query_one("#filter-status", FilterChoice).focus()
        else:
            self.query_one(VirtualList).focus()

    def action_close_filters(self) -> None:
        if self.has_class("-filters"):
            self.remove_class("-filters")
        self.query_one(VirtualList).focus()

    @on(FilterChoice.Changed, "#claims-filters FilterChoice")
    @on(Input.Changed, "#claims-filters Input")
    @on(PartnerPicker.Changed, "#filter-partner")
    def _filter_changed(self, event: Any) -> None:
        def value(selector: str) -> str | None:
            chosen = self.query_one(selector, FilterChoice).value
            return chosen if isinstance(chosen, str) else None

        try:
            date_from = rules.parse_day(self.query_one("#filter-from", Input).value, _("From"))
            date_to = rules.parse_day(self.query_one("#filter-to", Input).value, _("To"))
        except DomainError:
            return  # still typing
        posted = value("#filter-posted")
        new = replace(
            self.filters, status=value("#filter-status"), reason=value("#filter-reason"),
            manager=value("#filter-manager"), date_from=date_from, date_to=date_to,
            posted=None if posted is None else posted == "yes",
            partner=self.query_one(PartnerPicker).partner_key,
        )
        if new != self.filters and self.crm.db is not None:
            self.filters = new
            self._refresh_list()

    # -------------------------------------------------------------- actions
    def _refuse_when_off(self) -> bool:
        if not self.enabled:
            self.notify(_("customer claims are switched off in settings"), severity="error",
                        markup=False)
        return not self.enabled

    def action_new(self) -> None:
        if self._refuse_when_off():
            return
        new_record(self, "claim", source="list")

    def action_from_act(self) -> None:
        if self._refuse_when_off():
            return
        from crm_tui.screens.claims.discrepancy_act_dialog import DiscrepancyActDialog

        self.app.push_screen(DiscrepancyActDialog(), self._act_given)

    def _act_given(self, reference: str | None) -> None:
        if reference is None:
            return
        new_record(self, "claim", source="discrepancy_act", source_document=reference)

    def _highlighted_key(self) -> str | None:
        row = self.query_one(VirtualList).highlighted_row
        return None if row is None else str(row.key)

    def action_open(self) -> None:
        key = self._highlighted_key()
        if key is not None:
            open_record(self, "claim", key)

    @on(VirtualList.Selected, "#claims-list")
    def _selected(self) -> None:
        self.action_open()

    def action_my_tasks(self) -> None:
        """The tasks assigned to the user across claims (supervisors: anyone's)."""
        from crm_tui.screens.claims.my_tasks import MyTasksScreen

        self.app.push_screen(MyTasksScreen())

    def action_chain(self) -> None:
        key = self._highlighted_key()
        if key is not None:
            open_chain(self, "claim", key)
