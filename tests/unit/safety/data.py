"""Test data for the safety tests: a small valid database and hostile names."""

from __future__ import annotations

import copy
import json
from typing import Any

from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database
from tests.unit.exchange.helpers import BASE

# Names that are markup (or look like it) in Textual/Rich: they must show literally.
MARKUP_NAMES: tuple[str, ...] = (
    "[/]", "a[/b]c", "note: [/", "[@click=app.quit]x[/]", "[link=https://x]y[/link]",
    "[bold red]loud", "[on red]", "\\[/]", "]]][[[",
)
# Escape sequences: refused on input, so tests write them with SQL to test the display.
ESCAPE_NAMES: tuple[str, ...] = (
    "\x1b]52;c;aGVsbG8=\x07clip", "\x1b[2J\x1b[Hclear", "\x1b[31mred\x1b[0m", "bell\x07\x9b",
)


def records() -> list[dict[str, Any]]:
    """A deep copy of the exchange tests' base file (every record type once)."""
    return copy.deepcopy(BASE)


def lines(items: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(item, ensure_ascii=False) for item in items]


def load_base(db: Database) -> None:
    """Import the base file into `db`."""
    import_lines(db, lines(records()))


def hostile_records() -> list[dict[str, Any]]:
    """Partners, deals, claims, interactions and agreements named with every markup name."""
    items = records()
    for number, name in enumerate(MARKUP_NAMES, 1):
        items.append({"type": "partner", "id": f"PH{number}", "name": name, "region": "MSK",
                      "roles": ["client"], "manager": "ivanov", "comment": name})
        items.append({"type": "deal", "id": f"DH{number}", "name": name, "partner": f"PH{number}",
                      "kind": "none", "manager": "ivanov", "amount": "1.00",
                      "created_at": "2026-01-10T10:00", "status": "open", "stages": [],
                      "notes": name})
        items.append({"type": "claim", "id": f"CLH{number}", "partner": f"PH{number}",
                      "reason": "late", "registered_at": "2026-01-10T09:00",
                      "description": name, "status": "open", "posted": False,
                      "source": "list", "manager": "ivanov",
                      "tasks": [{"name": name, "description": name, "due": "2026-01-20",
                                 "assignee": "ivanov", "done": False}]})
        items.append({"type": "interaction", "id": f"IH{number}", "kind": "call",
                      "topic": name, "at": "2026-01-15T09:00", "status": "in_progress",
                      "partner": f"PH{number}", "manager": "ivanov", "text": name,
                      "direction": "outgoing"})
        items.append({"type": "agreement", "id": f"AH{number}", "kind": "individual",
                      "name": name, "partner": f"PH{number}", "based_on": "A1",
                      "payment_schedule": [{"percent": 100, "days": 0}], "status": "active"})
    return items
