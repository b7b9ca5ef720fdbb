"""What every report shares: parameters, result and column types, and the error it raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

ColumnKind = Literal["text", "int", "money", "percent", "days", "bool", "date"]


class ReportError(Exception):
    """A report cannot be computed as asked (unknown report or classifier, bad period)."""


@dataclass(frozen=True)
class ReportParams:
    """The options of one report run; `None` means "not filtered" (or "now" for `now`)."""

    date_from: date | None = None
    date_to: date | None = None
    manager: str | None = None
    region: str | None = None
    kind: str | None = None
    now: datetime | None = None


@dataclass(frozen=True)
class Column:
    """One output column: the row field, its translated title and how to show its values."""

    field: str
    title: str
    kind: ColumnKind = "text"
    bar: bool = False  # the table output draws a bar chart of this column
    # A code people do not read (a stage's code beside its name): in JSON and CSV, not in
    # the table output or the app's panel.
    code: bool = False


@dataclass
class ReportResult:
    """A computed report.

    `rows` and `totals` hold Python values: `Decimal` for money, `float | None` for
    percentages and days, `bool`, `int`, `str` or `None` otherwise. `params` is the dict
    printed in the JSON output. `columns` describe the row fields in order; `total_columns`
    the totals fields. `labels` names stored values for people, by field (an interaction
    kind "call" as "Звонок", a subject "deal:D-1" as "Сделка D-1 «…»"); JSON and CSV keep
    the values as the spec says."""

    name: str
    title: str
    params: dict[str, Any]
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)
    total_columns: list[Column] = field(default_factory=list)
    labels: dict[str, dict[Any, str]] = field(default_factory=dict)

    def shown_columns(self) -> list[Column]:
        """The columns people see (codes left out: their names are beside them)."""
        return [column for column in self.columns if not column.code]

    def label(self, column: Column, value: Any) -> str | None:
        """The name people read for a stored value, when the report gives one."""
        return self.labels.get(column.field, {}).get(value)


def check_period(params: ReportParams) -> None:
    """Refuse a period whose end comes before its start."""
    if params.date_from and params.date_to and params.date_to < params.date_from:
        from crm_tui.i18n import _

        raise ReportError(_("the period ends before it starts"))


def exact_int(value: Any) -> int:
    """An integer sum as the driver returns it (int, Decimal or float on SQLite)."""
    if value is None:
        return 0
    if isinstance(value, float):
        return round(value)
    return int(Decimal(value))
