"""Arbitrary input never crashes the importer with anything but ImportFailed, and a failed
import never writes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm_tui.exchange.errors import ImportFailed
from crm_tui.exchange.fields import FIELDS
from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database
from tests.unit.exchange.helpers import BASE, count_rows, lines

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
FIELD_NAMES = sorted({name for fields in FIELDS.values() for name, _req in fields})
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _try(db: Database, file_lines: list[str]) -> None:
    before = count_rows(db)
    try:
        import_lines(db, file_lines)
    except ImportFailed as failure:
        assert failure.problems
        assert count_rows(db) == before


@SETTINGS
@given(st.lists(st.text(max_size=60), max_size=5))
def test_arbitrary_lines(db: Database, raw: list[str]) -> None:
    _try(db, raw)


@SETTINGS
@given(st.lists(st.dictionaries(st.sampled_from(["type", *FIELD_NAMES]), json_values,
                                max_size=6), max_size=4))
def test_arbitrary_objects(db: Database, objects: list[dict[str, Any]]) -> None:
    _try(db, [json.dumps(obj) for obj in objects])


@SETTINGS
@given(st.integers(min_value=0, max_value=len(BASE) - 1), st.sampled_from(FIELD_NAMES),
       json_values)
def test_arbitrary_field_values(db: Database, position: int, name: str, value: Any) -> None:
    records = [dict(record) for record in BASE]
    records[position][name] = value
    _try(db, lines(records))
