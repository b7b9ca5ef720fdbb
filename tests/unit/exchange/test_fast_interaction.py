"""The fast path for plain interactions (exchange/fast_path.py, fast_interaction.py) agrees with the
general validator: the same rows, ids and counts for what it accepts, and for anything it
refuses the general path's own messages on the right line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from crm_tui.exchange import fast_path, validate
from crm_tui.exchange.errors import ImportFailed
from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database
from tests.unit.exchange.fast_helpers import _both, _context
from tests.unit.exchange.helpers import BASE

VALID = {"type": "interaction", "id": "I1", "kind": "call", "topic": "Звонок",
         "at": "2026-03-02T10:00", "status": "done", "partner": "P1", "contact": "K1",
         "manager": "ivanov", "subject": {"deal": "D1"}, "direction": "incoming",
         "end": "2026-03-02T10:30:00", "review_after": "2026-03-05T09:00",
         "text": "Договорились", "place": "Офис", "attendees": "Иванов", "duration": 60,
         "email_from": "a@b.ru", "email_to": "c@d.ru"}

# Each field's good values, then every kind of bad one the general path words.
GOOD: dict[str, list[Any]] = {
    "id": ["I1", "I2", "OLD"],
    "kind": ["call", "meeting", "email", "planned"],
    "topic": ["Звонок", "x"],
    "at": ["2026-03-02T10:00", "2026-03-02T10:00:59"],
    "end": ["2026-03-02T11:00", "2026-03-02T10:00"],
    "status": ["done", "in_progress", "cancelled"],
    "partner": ["P1"],
    "contact": ["K1"],
    "manager": ["ivanov"],
    "subject": [{"deal": "D1"}, {"claim": "L1"}, {"interaction": "I0"}],
    "direction": ["incoming", "outgoing"],
    "review_after": ["2026-03-05T09:00"],
    "text": ["Договорились", ""],
    "place": ["Офис", ""],
    "attendees": ["Иванов"],
    "duration": [0, 60, 2**62],
    "email_from": ["a@b.ru"],
    "email_to": ["c@d.ru"],
}
BAD: dict[str, list[Any]] = {
    "id": ["I0", "", " ", 5, None],
    "kind": ["fax", 1, None],
    "topic": ["", "  ", ["x"], None],
    "at": ["2026-02-30T10:00", "2026-03-02", "2026-03-02T10:00:00+03:00",
           "２０２６-03-02T10:00", "2026-03-02T25:00", 20260302, None],
    "end": ["2026-03-01T10:00", "x", None],
    "status": ["nope", None],
    "partner": ["P404", 1, None],
    "contact": ["K404", None],
    "manager": ["nobody", None],
    "subject": [{"interaction": "I1"}, {"deal": "D404"}, {"deal": 1},
                {"deal": "D1", "claim": "L1"}, {}, {"x": "D1"}, "D1", None],
    "direction": ["sideways", None],
    "review_after": ["soon", None],
    "text": [1, None],
    "place": [None],
    "attendees": [None],
    "duration": [-1, 1.5, True, 2**62 + 1, 2**63, "60", None],
    "email_from": [None],
    "email_to": [None],
    "phone": ["+7 495 210-15-47", "nope"],
    "message_id": ["<m@x>"],
    "attachments": [[]],
    "colour": ["red"],
}
ABSENT = object()


@st.composite
def records(draw: st.DrawFn) -> str:
    """One interaction line: each field absent, good, bad (now and then) or written twice."""
    parts = ['"type": "interaction"']
    for name in {**GOOD, **BAD}:
        good, bad = GOOD.get(name, []), BAD.get(name, [])
        roll = draw(st.integers(0, 79))
        if roll < 2:
            value = draw(st.sampled_from(bad))
        elif good and (roll < 40 or name in ("id", "kind", "topic", "at", "status")):
            value = draw(st.sampled_from(good))
        else:
            continue
        parts.append(f"{json.dumps(name)}: {json.dumps(value, ensure_ascii=False)}")
        if roll == 79:  # a repeated field, json keeps the last
            again = draw(st.sampled_from(good + bad))
            parts.append(f"{json.dumps(name)}: {json.dumps(again, ensure_ascii=False)}")
    if draw(st.booleans()):
        parts[1:] = draw(st.permutations(parts[1:]))
    separator = draw(st.sampled_from([", ", ",", " , "]))
    colon = draw(st.sampled_from([": ", ": ", ": ", ":", " : "]))
    return "{" + separator.join(part.replace(": ", colon, 1) for part in parts) + "}"


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records(), min_size=1, max_size=4))
def test_the_fast_path_agrees_with_the_general_one(lines: list[str]) -> None:
    general, fast, taken = _both(lines)
    assert fast == general
    event(f"fast path took {taken} of {len(lines)}, problems: {bool(general[0])}")


def test_a_plain_valid_interaction_takes_the_fast_path() -> None:
    lines = [json.dumps(VALID, ensure_ascii=False),
             json.dumps({**VALID, "id": "I2", "subject": {"interaction": "I1"}},
                        ensure_ascii=False)]
    general, fast, taken = _both(lines)
    assert taken == 2
    assert fast == general
    assert general[0] == []  # no problem
    rows = general[1]["interaction"]
    assert [(row["id"], row["key"], row["subject_interaction_id"]) for row in rows] == [
        (100, "I1", None), (101, "I2", 100)]


@pytest.mark.parametrize(("change", "message"), [
    ({"at": "2026-02-30T10:00"}, "at: no such date or time: 2026-02-30T10:00"),
    ({"partner": "P404"}, "partner: no partner with key P404 on an earlier line or in the "
                          "database"),
    ({"duration": -1}, "duration: must be at least 0"),
    ({"subject": {"interaction": "I1"}}, "subject: an interaction cannot be its own subject"),
])
def test_a_refused_record_gets_the_general_path_s_message(
        change: dict[str, Any], message: str) -> None:
    line = json.dumps({**VALID, **change}, ensure_ascii=False)
    found = fast_path.candidate(line)
    assert found is not None  # decoded in C, and refused there
    assert found.accept(_context(), found.record) is False
    general, fast, taken = _both(["", line])
    assert taken == 1
    assert fast[0] == general[0] == [(2, message)]


def test_an_import_of_plain_interactions_does_not_run_the_general_rule(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    def general(*_args: Any) -> None:
        raise AssertionError("the general rule ran")
    base = [json.dumps(record, ensure_ascii=False) for record in BASE
            if record["type"] != "interaction"]
    interaction = {key: value for key, value in VALID.items() if key != "subject"}
    monkeypatch.setitem(validate.RULES, "interaction", general)
    counts = import_lines(db, [*base, json.dumps(interaction, ensure_ascii=False)])
    assert counts["interaction"] == 1
    with pytest.raises(AssertionError, match="the general rule ran"):
        import_lines(db, [json.dumps({**interaction, "id": "I9", "status": "x"})])


def test_a_repeated_field_is_still_reported(db: Database) -> None:
    line = json.dumps(VALID, ensure_ascii=False)[:-1] + ', "topic": "again"}'
    with pytest.raises(ImportFailed) as failure:
        import_lines(db, [line])
    assert failure.value.problems == [(1, "a field appears twice in one object: topic")]
