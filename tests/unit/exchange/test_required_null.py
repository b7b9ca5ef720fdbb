"""A required field given as null is reported as missing, never a crash of the import
(a deal's amount or stages, a deal kind's stage control or stages once stopped it with a
bare AssertionError)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from crm_tui.exchange.errors import ImportFailed
from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database
from tests.unit.exchange.helpers import BASE

DEAL = {"type": "deal", "id": "D9", "name": "Поставка", "partner": "P1", "kind": "none",
        "manager": "ivanov", "amount": "10.00", "created_at": "2026-03-01T09:00",
        "status": "open", "stages": []}
KIND = {"type": "deal_kind", "code": "k9", "name": "Новая", "stage_control": "none",
        "stages": []}


@pytest.mark.parametrize(("record", "field"), [
    (DEAL, "amount"), (DEAL, "stages"), (KIND, "stage_control"), (KIND, "stages")])
def test_a_required_null_is_reported_as_missing(
        db: Database, record: dict[str, Any], field: str) -> None:
    base = [json.dumps(item, ensure_ascii=False) for item in BASE
            if item["type"] not in ("deal", "interaction", "claim")]
    line = json.dumps({**record, field: None}, ensure_ascii=False)
    with pytest.raises(ImportFailed) as failure:
        import_lines(db, [*base, line])
    assert failure.value.problems == [(len(base) + 1, f"missing required field: {field}")]
