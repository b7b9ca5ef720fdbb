"""Run a report the way `crm report --format json` prints it."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from crm_tui.reports.base import ReportParams
from crm_tui.reports.outputs import to_json
from crm_tui.reports.registry import compute
from crm_tui.store.database import Database


def report(db: Database, name: str, **options: Any) -> dict[str, Any]:
    """The parsed JSON document of report `name` (options as ReportParams fields; dates and
    timestamps may be given as ISO strings)."""
    for key in ("date_from", "date_to"):
        if isinstance(options.get(key), str):
            options[key] = date.fromisoformat(options[key])
    if isinstance(options.get("now"), str):
        options["now"] = datetime.fromisoformat(options["now"])
    result: dict[str, Any] = json.loads(to_json(compute(db, name, ReportParams(**options))))
    return result


def column(document: dict[str, Any], field: str) -> list[Any]:
    return [row[field] for row in document["rows"]]
