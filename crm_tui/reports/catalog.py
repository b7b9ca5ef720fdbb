"""The reports' names, titles and options as static data.

`crm --help`, `crm report --help` and the reports list need these without importing the
report queries (which import the ORM and its models: ~0.4 s of every command's start).
Each report module takes its NAME, FILTERS and title from here."""

from __future__ import annotations

from dataclasses import dataclass

from crm_tui.i18n import N_, _

FORMATS = ("table", "csv", "json", "xlsx")


@dataclass(frozen=True)
class ReportSpec:
    """A report's name (as typed on the command line), title and the options it takes."""

    name: str
    title_source: str  # English source string, translated by title()
    filters: tuple[str, ...]
    module: str  # crm_tui.reports.<module>: compute(), columns(), total_columns()

    def title(self) -> str:
        return _(self.title_source)


_PERIOD_DEALS = ("from", "to", "manager", "region", "kind")
_PERIOD_CLAIMS = ("from", "to", "manager", "region")

REPORTS: tuple[ReportSpec, ...] = (
    ReportSpec("funnel", N_("Sales funnel"), _PERIOD_DEALS, "funnel"),
    ReportSpec("deal-effectiveness", N_("Deal effectiveness"), _PERIOD_DEALS,
               "deal_effectiveness"),
    ReportSpec("event-calendar", N_("Event calendar"), ("from", "to", "manager", "now"),
               "event_calendar"),
    ReportSpec("claim-satisfaction", N_("Claim satisfaction"), _PERIOD_CLAIMS,
               "claim_satisfaction"),
    ReportSpec("claim-structure", N_("Claim structure"), _PERIOD_CLAIMS, "claim_structure"),
    ReportSpec("primary-demand", N_("Unmet primary demand"), _PERIOD_DEALS, "primary_demand"),
    ReportSpec("claim-dynamics", N_("Claim dynamics"), _PERIOD_CLAIMS, "claim_dynamics"),
    ReportSpec("demand-lines", N_("Primary demand asked and unmet"), _PERIOD_DEALS,
               "demand_lines"),
    # The period is the tasks' due dates; "manager" is the assignee.
    ReportSpec("claim-tasks", N_("Claim tasks by assignee"), ("from", "to", "manager", "now"),
               "claim_tasks"),
)

BY_NAME: dict[str, ReportSpec] = {spec.name: spec for spec in REPORTS}
