"""The fast path for plain deals (exchange/fast_deal.py) agrees with the general validator:
the same rows, children, ids and counts for what it accepts, and for anything it refuses
the general path's own messages on the right line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from crm_tui.exchange import fast_path, validate
from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database
from tests.unit.exchange.fast_helpers import _both, _context
from tests.unit.exchange.helpers import BASE

VALID = {"type": "deal", "id": "D2", "name": "Поставка", "partner": "P1", "kind": "strict",
         "manager": "ivanov", "amount": "1500.50", "created_at": "2026-03-01T09:00",
         "status": "won", "closed_at": "2026-03-10T12:00", "demand_reasons": ["stock"],
         "agreement": "A1", "participants": [{"partner": "P2", "role": "payer"}],
         "contacts": [{"contact": "K1", "role": "decider"}], "notes": "Срочно",
         "stages": [{"stage": "lead", "at": "2026-03-01T09:00"},
                    {"stage": "offer", "at": "2026-03-03T10:00"},
                    {"stage": "contract", "at": "2026-03-05T10:00"}]}

STAGES_GOOD = [
    [{"stage": "lead", "at": "2026-03-01T09:00"}],
    [{"stage": "lead", "at": "2026-03-01T09:00"}, {"stage": "offer", "at": "2026-03-02T09:00"},
     {"stage": "contract", "at": "2026-03-03T09:00"}],
    [{"stage": "lead", "at": "2026-03-02T09:00"}, {"stage": "contract", "at": "2026-03-02T09:00"}],
    [],
]
GOOD: dict[str, list[Any]] = {
    "id": ["D2", "D3", "D1"],
    "name": ["Поставка", "x"],
    "partner": ["P1", "P2"],
    "kind": ["strict", "manual", "none"],
    "manager": ["ivanov"],
    "amount": ["1500.50", "0", "99.5", "-0.00"],
    "created_at": ["2026-03-01T09:00"],
    "status": ["open", "won", "lost"],
    "closed_at": ["2026-03-10T12:00", "2026-03-03T09:00"],
    "loss_reason": ["price"],
    "demand_reasons": [["stock"], [], ["stock", "late"]],
    "agreement": ["A1"],
    "participants": [[{"partner": "P2", "role": "payer"}], []],
    "contacts": [[{"contact": "K1", "role": "decider"}, {"contact": "K2", "role": "decider"}]],
    "stages": STAGES_GOOD,
    "notes": ["Срочно", ""],
}
BAD: dict[str, list[Any]] = {
    "id": ["", " ", 1, None],
    "name": ["", "  ", None],
    "partner": ["P404", None],
    "kind": ["nope", None],
    "manager": ["nobody", None],
    "amount": ["-1.00", "1.005", "1e3", 1500, "١٢", "9" * 30, None],
    "created_at": ["2026-03-05T09:00", "2026-02-30T09:00", "x", None],
    "status": ["closed", None],
    "closed_at": ["2026-03-01T08:00", "2026-13-01T00:00", None],
    "loss_reason": ["nope", None],
    "demand_reasons": [["nope"], [1], "stock", None],
    "agreement": ["A404", None],
    "participants": [[{"partner": "P404", "role": "payer"}], [{"partner": "P2"}],
                     [{"partner": "P2", "role": "payer", "x": 1}], ["P2"], None],
    "contacts": [[{"contact": "K1", "role": "nope"}], [{"contact": "K1", "role": None}], None],
    "stages": [[{"stage": "offer", "at": "2026-03-01T09:00"}],
               [{"stage": "lead", "at": "2026-03-02T09:00"},
                {"stage": "offer", "at": "2026-03-01T09:00"}],
               [{"stage": "nope", "at": "2026-03-02T09:00"}],
               [{"stage": "lead"}], [{"stage": "lead", "at": "soon"}], {}, None],
    "notes": [1, None],
    "demand_lines": [[{"item": "Болт", "met": True}]],
    "colour": ["red"],
}
ABSENT = object()
REQUIRED = ("id", "name", "partner", "kind", "manager", "amount", "created_at", "status",
            "stages")


@st.composite
def records(draw: st.DrawFn) -> str:
    """One deal line: each field absent, good, bad (now and then) or written twice."""
    parts = ['"type": "deal"']
    for name in {**GOOD, **BAD}:
        good, bad = GOOD.get(name, []), BAD.get(name, [])
        roll = draw(st.integers(0, 99))
        if roll < 2:
            value = draw(st.sampled_from(bad))
        elif good and (roll < 50 or name in REQUIRED):
            value = draw(st.sampled_from(good))
        else:
            continue
        parts.append(f"{json.dumps(name)}: {json.dumps(value, ensure_ascii=False)}")
        if roll == 99:  # a repeated field, json keeps the last
            again = draw(st.sampled_from(good + bad))
            parts.append(f"{json.dumps(name)}: {json.dumps(again, ensure_ascii=False)}")
    if draw(st.booleans()):
        parts[1:] = draw(st.permutations(parts[1:]))
    colon = draw(st.sampled_from([": ", ": ", ": ", ":"]))
    return "{" + ", ".join(part.replace(": ", colon, 1) for part in parts) + "}"


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records(), min_size=1, max_size=3))
def test_the_fast_path_agrees_with_the_general_one(lines: list[str]) -> None:
    general, fast, taken = _both(lines)
    assert fast == general
    event(f"fast path took {taken} of {len(lines)}, problems: {bool(general[0])}")


def test_a_plain_valid_deal_takes_the_fast_path() -> None:
    lines = [json.dumps(VALID, ensure_ascii=False),
             json.dumps({**VALID, "id": "D1", "status": "open", "closed_at": None},
                        ensure_ascii=False).replace(', "closed_at": null', "")]
    general, fast, taken = _both(lines)
    assert taken == 2
    assert fast == general
    assert general[0] == []  # no problem
    assert [(row["id"], row["key"], row["amount_minor"]) for row in general[1]["deal"]] == [
        (100, "D2", 150050)]
    assert [row["key"] for row in general[2]["deal"]] == ["D1"]  # an update
    assert len(general[1]["deal_stage_entry"]) == 6


@pytest.mark.parametrize(("change", "message"), [
    ({"amount": "1.005"}, "amount: not a money amount with at most 2 fraction digits: 1.005"),
    ({"status": "open"}, "closed_at: only a won or lost deal has closed_at"),
    ({"stages": [{"stage": "offer", "at": "2026-03-01T09:00"}]},
     "stages: strict stages: entry 1 must be lead, the kind's stages go in order"),
])
def test_a_refused_deal_gets_the_general_path_s_message(
        change: dict[str, Any], message: str) -> None:
    line = json.dumps({**VALID, **change}, ensure_ascii=False)
    found = fast_path.candidate(line)
    assert found is not None  # decoded in C, and refused there
    assert found.accept(_context(), found.record) is False
    general, fast, taken = _both([line])
    assert taken == 1
    assert fast[0] == general[0]
    assert [text for _line, text in fast[0]] == [message]


def test_an_import_of_plain_deals_does_not_run_the_general_rule(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    def general(*_args: Any) -> None:
        raise AssertionError("the general rule ran")
    base = [json.dumps(record, ensure_ascii=False) for record in BASE
            if record["type"] not in ("deal", "interaction", "claim")]
    deal = {key: value for key, value in VALID.items()
            if key not in ("participants", "agreement", "demand_reasons")}
    deal["stages"] = [{"stage": "lead", "at": "2026-03-01T09:00"},
                      {"stage": "offer", "at": "2026-03-02T09:00"},
                      {"stage": "contract", "at": "2026-03-03T09:00"}]
    monkeypatch.setitem(validate.RULES, "deal", general)
    counts = import_lines(db, [*base, json.dumps(deal, ensure_ascii=False)])
    assert counts["deal"] == 1
