"""The Reports section: every report; Enter opens its panel."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from crm_tui.i18n import N_, _
from crm_tui.reports.registry import ReportInfo, available_reports
from crm_tui.screens.shell.base import SectionScreen

# Report name -> a one-line description (English source, translated where shown).
DESCRIPTIONS = {
    "funnel": N_("How far the deals of the period got, stage by stage"),
    "deal-effectiveness": N_("Per manager: deals, outcomes, win rate, amounts, cycle"),
    "event-calendar": N_("Interactions not yet processed, overdue ones marked"),
    "claim-satisfaction": N_("Per claim reason: satisfied, not satisfied, open"),
    "claim-structure": N_("Claim reasons ranked by how often they occur"),
    "primary-demand": N_("Unmet primary demand per reason and manager"),
    "claim-dynamics": N_("Per month: claims registered, resolved, still open"),
    "demand-lines": N_("Per item and manager: demand lines asked, unmet, their amounts"),
    "claim-tasks": N_("Per assignee: claim tasks done on time, done late, open overdue"),
}


class ReportsScreen(SectionScreen):
    """Lists the reports; Enter opens the selected report's panel."""

    SECTION = "reports"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_report", N_("Open report"), id="reports.open"),
    ]
    CSS_PATH = "reports.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.reports: list[ReportInfo] = available_reports()

    def compose_body(self) -> ComposeResult:
        with Vertical(id="reports-body"):
            options = OptionList(*(self._option(info) for info in self.reports),
                                 id="reports-list")
            options.border_title = _("Reports")
            yield options
            yield Static(Text(_("Enter opens a report · in a report, Enter on a number lists "
                                "the records behind it")), id="reports-hint", markup=False)

    def _option(self, info: ReportInfo) -> Option:
        prompt = Text(info.title, style="bold")
        description = DESCRIPTIONS.get(info.name)
        if description:
            prompt.append("  " + _(description), style="dim")
        return Option(prompt, id=info.name)

    def on_mount(self) -> None:
        # Textual runs SectionScreen.on_mount too (handlers of every class are called):
        # calling it here as well loaded and subscribed twice.
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.open_report(event.option.id)

    def action_open_report(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if option.id:
                self.open_report(option.id)

    def open_report(self, name: str) -> None:
        """Push the panel of report `name`."""
        from crm_tui.screens.reports.panel import ReportPanelScreen

        info = next(info for info in self.reports if info.name == name)
        self.app.push_screen(ReportPanelScreen(info.name, info.title, info.filters))
