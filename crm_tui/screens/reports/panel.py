"""One report's panel: filters, the table, the totals and a chart; Enter drills down.

The report computes in an exclusive thread worker (a newer filter cancels the older run,
and stale results are dropped by a generation counter); a LoadingIndicator shows meanwhile
and the panel stays usable."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Label, LoadingIndicator, Select, Static

from crm_tui.domain import clock
from crm_tui.domain.errors import DomainError
from crm_tui.domain.formatting import date_hint, show_date, show_moment
from crm_tui.i18n import N_, _
from crm_tui.reports.base import ReportError, ReportParams, ReportResult
from crm_tui.screens.reports.panel_period import PRESETS, next_preset, parse_date, preset_period
from crm_tui.screens.reports.panel_view import MAX_ROWS, cell, chart, totals_text
from crm_tui.screens.shell.base import CrmScreen
from crm_tui.widgets.header import AppHeader
from crm_tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm_tui.reports.drilldown import FilterChoices


class ReportPanelScreen(CrmScreen[None]):
    """The panel of report `name` (as in `crm report NAME`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="report.back"),
        Binding("p", "next_preset", N_("Next period"), id="report.preset"),
        Binding("e", "export", N_("Export"), id="report.export"),
        Binding("r", "recompute", N_("Recompute"), id="report.recompute"),
        Binding("t", "focus_table", N_("Table"), id="report.table"),
    ]
    CSS_PATH = "reports.tcss"

    def __init__(self, name: str, title: str, filters: tuple[str, ...]) -> None:
        super().__init__()
        self.report = name
        self.title_text = title
        self.filters = filters
        self.preset = "all"
        self.result: ReportResult | None = None
        self._generation = 0
        self._requested: ReportParams | None = None

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield AppHeader(_("Reports") + f" · {self.title_text}")
        if "from" in self.filters:
            with Horizontal(classes="filters"):
                yield Label(_("Period"))
                yield Select([(Text(_(title)), preset) for preset, title in PRESETS],
                             value="all", allow_blank=False, compact=True, id="f-preset")
                yield Label(_("From"))
                yield Input(placeholder=date_hint(), compact=True, id="f-from")
                yield Label(_("To"))
                yield Input(placeholder=date_hint(), compact=True, id="f-to")
                if "now" in self.filters:
                    yield Label(Text(_("Now: {moment}").format(
                        moment=show_moment(clock.now()))), id="report-now")
        others = [f for f in ("manager", "region", "kind") if f in self.filters]
        if others:
            prompts = {"manager": _("All managers"), "region": _("All regions"),
                       "kind": _("All deal kinds")}
            labels = {"manager": _("Manager"), "region": _("Region"), "kind": _("Deal kind")}
            with Horizontal(classes="filters"):
                for field in others:
                    yield Label(labels[field])
                    yield Select([], prompt=prompts[field], compact=True, id=f"f-{field}")
        with Horizontal(id="report-status-line", classes="filters"):
            yield LoadingIndicator(id="report-loading")
            yield Static(Text(_("Computing…")), id="report-status", markup=False)
        with VerticalScroll(id="report-body"):
            yield DataTable(id="report-table", zebra_stripes=True, cursor_type="cell")
            yield Static("", id="report-totals", markup=False)
            yield Static("", id="report-chart", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        if self.crm.db is not None:
            self.call_after_refresh(self._database_ready)
        else:
            self.crm.database_opened.subscribe(self, lambda _db: self._database_ready())
        self.crm.data_changed.subscribe(self, self._data_changed)

    def _database_ready(self) -> None:
        if any(f in self.filters for f in ("manager", "region", "kind")):
            self.load_choices()
        self.recompute(force=True)
        self.query_one(DataTable).focus()

    def _data_changed(self, _nothing: None) -> None:
        if self.is_current:
            self.recompute(force=True)

    # ----------------------------------------------------------------- filters
    def load_choices(self) -> None:
        """Fill the manager, region and kind lists (read in a worker)."""
        def read(session: Session) -> FilterChoices:
            from crm_tui.reports.drilldown import filter_choices

            return filter_choices(session.connection())

        self.load_data(read, self._show_choices)

    def _show_choices(self, choices: FilterChoices) -> None:
        for field, values in (("manager", choices.managers), ("region", choices.regions),
                              ("kind", choices.kinds)):
            if field in self.filters:
                select = self.query_one(f"#f-{field}", Select)
                select.set_options([(Text(f"{v.name} ({v.code})"), v.code) for v in values])

    def _date(self, field: str) -> date | None:
        """The typed date of #f-from / #f-to; raises ValueError when it is not a date."""
        return parse_date(self.query_one(f"#f-{field}", Input).value)

    def params(self) -> ReportParams:
        """The filters as report parameters; raises ValueError for a mistyped date."""
        date_from = date_to = None
        if "from" in self.filters:
            date_from, date_to = self._date("from"), self._date("to")
        values: dict[str, str | None] = {}
        for field in ("manager", "region", "kind"):
            values[field] = None
            if field in self.filters:
                value = self.query_one(f"#f-{field}", Select).value
                values[field] = value if isinstance(value, str) else None
        now = clock.now() if "now" in self.filters else None
        return ReportParams(date_from, date_to, values["manager"], values["region"],
                            values["kind"], now)

    def apply_preset(self, preset: str) -> None:
        """Set the period fields to `preset` (relative to the app clock) and recompute."""
        self.preset = preset
        if preset != "custom":
            start, end = preset_period(preset, clock.now().date())
            self.query_one("#f-from", Input).value = show_date(start)
            self.query_one("#f-to", Input).value = show_date(end)
        select = self.query_one("#f-preset", Select)
        if select.value != preset:
            select.value = preset
        self.recompute()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "f-preset":
            if isinstance(event.value, str) and event.value != self.preset:
                self.apply_preset(event.value)
            return
        self.recompute()

    @on(Input.Changed, "#f-from, #f-to")
    def _date_changed(self, event: Input.Changed) -> None:
        try:
            typed = (self._date("from"), self._date("to"))
        except ValueError:
            return  # still typing; Enter reports the mistake
        if self.preset != "custom" and typed != preset_period(self.preset, clock.now().date()):
            self.preset = "custom"
            self.query_one("#f-preset", Select).value = "custom"
        self.recompute()

    @on(Input.Submitted, "#f-from, #f-to")
    def _date_submitted(self, event: Input.Submitted) -> None:
        self.recompute(force=True)

    # ----------------------------------------------------------------- compute
    def recompute(self, force: bool = False) -> None:
        """Compute the report for the current filters (unless already asked for them)."""
        if self.crm.db is None:
            return
        try:
            params = self.params()
        except ValueError:
            self._status(_("Type dates as YYYY-MM-DD or DD.MM.YYYY"), error=True)
            return
        if not force and params == self._requested:
            return
        self._requested = params
        self._generation += 1
        self.query_one("#report-loading").display = True
        self._status(_("Computing…"))
        self.compute_report(self._generation, params)

    @work(thread=True, exclusive=True, group="report-compute")
    def compute_report(self, generation: int, params: ReportParams) -> None:
        """Run the report off the event loop and post the result back."""
        from crm_tui.reports.registry import compute

        try:
            result = compute(self.db, self.report, params)
        except (ReportError, DomainError) as error:
            self.app.call_from_thread(self._failed, generation, str(error))
            return
        self.app.call_from_thread(self._show, generation, result)

    def _status(self, message: str, error: bool = False) -> None:
        status = self.query_one("#report-status", Static)
        status.update(Text(message))
        status.set_class(error, "error")

    def _failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.query_one("#report-loading").display = False
        self._status(message, error=True)

    def _show(self, generation: int, result: ReportResult) -> None:
        if generation != self._generation:
            return  # a newer run is on its way
        self.result = result
        self.query_one("#report-loading").display = False
        table = self.query_one(DataTable)
        row, column = table.cursor_coordinate
        table.clear(columns=True)
        columns = result.shown_columns()
        for spec in columns:
            table.add_column(
                Text(spec.title,
                     justify="left" if spec.kind in ("text", "bool", "date") else "right"),
                key=spec.field)
        shown = result.rows[:MAX_ROWS]
        for number, values in enumerate(shown):
            table.add_row(*(cell(values.get(c.field), c, result.label(c, values.get(c.field)))
                            for c in columns), key=str(number))
        if shown:
            table.move_cursor(row=min(row, len(shown) - 1),
                              column=min(column, len(columns) - 1))
        self.query_one("#report-totals", Static).update(totals_text(result))
        drawing = chart(result)
        chart_widget = self.query_one("#report-chart", Static)
        chart_widget.update(drawing if drawing is not None else "")
        chart_widget.display = drawing is not None
        if not result.rows:
            message = _("No data for these options.")
        elif len(result.rows) > len(shown):
            message = _("Showing {shown} of {total} rows; export to see them all").format(
                shown=len(shown), total=len(result.rows))
        else:
            message = _("{count} rows · Enter on a number lists the records behind it").format(
                count=len(result.rows))
        self._status(message)

    # ----------------------------------------------------------------- actions
    def action_back(self) -> None:
        self.dismiss(None)

    def action_next_preset(self) -> None:
        if "from" in self.filters:
            self.apply_preset(next_preset(self.preset))

    def action_recompute(self) -> None:
        self.recompute(force=True)

    def action_focus_table(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.CellSelected)
    def _drill(self, event: DataTable.CellSelected) -> None:
        """Enter on a cell: the records behind that number (or behind the row)."""
        from crm_tui.reports.drilldown import drill_spec
        from crm_tui.screens.reports.drilldown import ReportDrilldownScreen

        result = self.result
        if result is None or event.coordinate.row >= len(result.rows):
            return
        row = result.rows[event.coordinate.row]
        column = result.shown_columns()[event.coordinate.column]
        spec = drill_spec(result.name, row, self._requested or ReportParams(), column.field)
        if spec is None:
            return
        self.app.push_screen(ReportDrilldownScreen(spec, self._drill_title(result, row, spec)))

    def _drill_title(self, result: ReportResult, row: dict[str, Any], spec: Any) -> str:
        """"Report · row · measure" for the drill-down header."""
        titles = {c.field: c.title for c in result.columns}
        label = next((str(row[f]) for f in ("name", "month", "id", "manager") if row.get(f)),
                     "")
        if result.name == "primary-demand" and row.get("manager"):
            label = f"{label} · {row.get('manager_name') or row['manager']}"
        measure = titles.get(spec.measure, "")
        return " · ".join(part for part in (result.title, label, measure) if part)

    def action_export(self) -> None:
        from crm_tui.screens.reports.panel_export import export_format
        from crm_tui.screens.shell.export_dialog import ExportDialog

        if self.result is None:
            self.notify(_("The report is not computed yet"), severity="warning", markup=False)
            return
        result = self.result
        default = Path.cwd() / f"{result.name}-{clock.now():%Y-%m-%d}.csv"

        def chosen(answer: tuple[Path, bool] | None) -> None:
            if answer is not None:
                self.export_report(result, answer[0], answer[1], dialog.for_spreadsheet)

        dialog = ExportDialog(default, title=_("Export the report"),
                              prompt=_("File (.csv, .xlsx or .json):"), check=export_format,
                              spreadsheet_choice=True)
        self.app.push_screen(dialog, chosen)

    @work(thread=True, exclusive=True, group="report-export")
    def export_report(self, result: ReportResult, path: Path, overwrite: bool,
                      for_spreadsheet: bool = False) -> None:
        """Write the shown report (in a worker) and tell the user."""
        from crm_tui.screens.reports.panel_export import ExportError, write_report
        from crm_tui.widgets.export_progress import export_progress

        try:
            # The bar pulses while the worker writes (an xlsx of a big report takes a while).
            with export_progress(self, _("Exporting the report to {path}").format(path=path)):
                write_report(result, path, overwrite, for_spreadsheet)
        except ExportError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, _("Exported to {path}").format(path=path),
                                  markup=False)
