"""How a computed report looks in its panel: cells, totals line and chart (no database)."""

from __future__ import annotations

import contextlib
from datetime import date
from decimal import Decimal
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from crm_tui.domain.formatting import show_count, show_date, show_money, show_tenths
from crm_tui.domain.text import safe_display
from crm_tui.i18n import _
from crm_tui.reports.base import Column, ReportResult
from crm_tui.widgets.charts import Bar, BarChart, FunnelChart, Segment, Stack, StackedChart

DASH = "—"
NUMERIC = ("int", "money", "percent", "days")
MAX_ROWS = 2000  # the panel shows this many rows at most (the export has them all)


def cell_text(value: Any, kind: str) -> str:
    """A value as the panel shows it: money with thousands separators and 2 decimals,
    percentages and days with one decimal, yes/no, and a dash for null."""
    if value is None:
        return DASH
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if kind == "money":
        return show_money(Decimal(value))
    if kind in ("percent", "days"):
        return show_tenths(value)
    if kind == "int":
        return show_count(int(value))
    if kind == "date" and isinstance(value, str):
        with contextlib.suppress(ValueError):
            return show_date(date.fromisoformat(value))
    return safe_display(str(value))


def cell(value: Any, column: Column, label: str | None = None) -> Text:
    """A table cell (never markup): numbers right-aligned; `label` is the report's name for
    the value (an interaction kind, a subject), shown instead of it."""
    return Text(safe_display(label) if label is not None else cell_text(value, column.kind),
                justify="right" if column.kind in NUMERIC else "left")


def totals_text(result: ReportResult) -> Text:
    """The totals on one line: "Deals 29 · Open 10 · …"."""
    line = Text(_("Totals") + ": ", style="bold")
    for number, column in enumerate(result.total_columns):
        if number:
            line.append("  ·  ", style="dim")
        line.append(safe_display(column.title) + " ")
        line.append(cell_text(result.totals.get(column.field), column.kind), style="bold")
    return line


def _percent(value: Any) -> str:
    return DASH if value is None else f"{show_tenths(float(value))}%"


def _name(row: dict[str, Any], *fields: str) -> str:
    for field in fields:
        value = row.get(field)
        if value:
            return str(value)
    return DASH


def chart(result: ReportResult) -> RenderableType | None:
    """The chart that helps read `result`, with its caption; None when none helps."""
    rows = result.rows
    if not rows:
        return None
    name = result.name
    drawing: RenderableType
    if name == "funnel":
        caption = _("Deals that reached each stage; conversion from the previous stage")
        drawing = FunnelChart([
            Bar(_name(row, "name", "stage"), float(row["reached"]),
                _percent(row["conversion_from_prev"]) if number else _percent(100))
            for number, row in enumerate(rows)
        ])
    elif name == "deal-effectiveness":
        caption = _("Deals per manager")
        drawing = StackedChart(
            [Stack(_name(row, "name", "manager"), (
                Segment(row["won"], "green"), Segment(row["lost"], "red"),
                Segment(row["open"], "yellow"))) for row in rows],
            [(_("Won"), "green"), (_("Lost"), "red"), (_("Open"), "yellow")],
        )
    elif name == "claim-satisfaction":
        caption = _("Claims per reason by outcome")
        drawing = StackedChart(
            [Stack(_name(row, "name", "reason"), (
                Segment(row["satisfied"], "green"), Segment(row["not_satisfied"], "red"),
                Segment(row["open"], "yellow"))) for row in rows],
            [(_("Satisfied"), "green"), (_("Not satisfied"), "red"), (_("Open"), "yellow")],
        )
    elif name == "claim-structure":
        caption = _("Claim reasons ranked by count")
        drawing = BarChart([
            Bar(_name(row, "name", "reason"), float(row["count"]), _percent(row["share"]))
            for row in rows
        ])
    elif name == "primary-demand":
        caption = _("Deals with unmet demand per reason and manager")
        drawing = BarChart([
            Bar(f"{_name(row, 'name', 'reason')} · {_name(row, 'manager')}",
                float(row["deals"]), cell_text(row["amount"], "money"))
            for row in rows
        ])
    elif name == "claim-dynamics":
        caption = _("Claims registered per month")
        drawing = BarChart([Bar(row["month"], float(row["registered"])) for row in rows])
    elif name == "claim-tasks":
        caption = _("Claim tasks per assignee by standing")
        drawing = StackedChart(
            [Stack(_name(row, "name", "assignee"), (
                Segment(row["done_on_time"], "green"), Segment(row["done_late"], "yellow"),
                Segment(row["open_overdue"], "red"), Segment(row["open"], "blue")))
             for row in rows],
            [(_("Done on time"), "green"), (_("Done late"), "yellow"),
             (_("Open, overdue"), "red"), (_("Open, not yet due"), "blue")],
        )
    else:
        return None
    return Group(Text(caption, style="bold"), drawing)
