"""The stage rules, exhaustively: every kind × every status × every current stage × every move."""

from __future__ import annotations

import itertools

import pytest

from crm_tui.domain.enums import DealStatus, StageControl
from crm_tui.domain.errors import StageRuleError
from crm_tui.domain.stages import (
    KindRules,
    check_history,
    check_lose,
    check_move,
    check_win,
    initial_stage,
    next_stage,
    previous_stage,
    step_target,
)

STAGES = ("a", "b", "c", "d")
STRICT = KindRules(StageControl.STRICT, STAGES)
MANUAL = KindRules(StageControl.MANUAL, STAGES)
NONE = KindRules(StageControl.NONE, ())
STATUSES = [s.value for s in DealStatus]


def expected_move(rules: KindRules, status: str, current: str | None, target: str) -> bool:
    """The rule of the issue, written independently of the implementation."""
    if status != "open" or rules.control == StageControl.NONE or target not in rules.stages:
        return False
    if target == current:
        return False
    if rules.control == StageControl.MANUAL:
        return True
    position = rules.stages.index(current) if current in rules.stages else -1
    return position + 1 < len(rules.stages) and rules.stages[position + 1] == target


@pytest.mark.parametrize("rules", [STRICT, MANUAL, NONE], ids=["strict", "manual", "none"])
@pytest.mark.parametrize("status", STATUSES)
def test_every_move(rules: KindRules, status: str) -> None:
    currents: list[str | None] = [None, *rules.stages] if rules.stages else [None]
    for current, target in itertools.product(currents, [*STAGES, "zz"]):
        allowed = expected_move(rules, status, current, target)
        if allowed:
            check_move(rules, status, current, target)
        else:
            with pytest.raises(StageRuleError) as error:
                check_move(rules, status, current, target)
            assert str(error.value)


def test_strict_moves_only_to_next() -> None:
    check_move(STRICT, "open", "a", "b")
    with pytest.raises(StageRuleError, match="only move to the next stage, b"):
        check_move(STRICT, "open", "a", "c")
    with pytest.raises(StageRuleError, match="next stage, c"):
        check_move(STRICT, "open", "b", "a")
    with pytest.raises(StageRuleError, match="last stage"):
        check_move(STRICT, "open", "d", "a")


def test_messages_use_stage_names() -> None:
    names = {"a": "Lead", "b": "Qualification", "d": "Contract"}
    with pytest.raises(StageRuleError, match="Qualification"):
        check_move(STRICT, "open", "a", "c", names)
    with pytest.raises(StageRuleError, match="Contract"):
        check_win(STRICT, "open", "a", names)


def test_closed_deal_cannot_move() -> None:
    with pytest.raises(StageRuleError, match="closed"):
        check_move(MANUAL, "won", "a", "b")


def test_none_kind_has_no_stages() -> None:
    with pytest.raises(StageRuleError, match="non-process"):
        check_move(NONE, "open", None, "a")
    assert initial_stage(NONE) is None


def test_initial_stage_is_first() -> None:
    assert initial_stage(STRICT) == "a"
    assert initial_stage(MANUAL) == "a"


@pytest.mark.parametrize("rules", [STRICT, MANUAL, NONE], ids=["strict", "manual", "none"])
@pytest.mark.parametrize("status", STATUSES)
def test_every_win(rules: KindRules, status: str) -> None:
    for current in [None, *rules.stages]:
        allowed = status == "open" and (
            rules.control != StageControl.STRICT or current == rules.last_stage
        )
        if allowed:
            check_win(rules, status, current)
        else:
            with pytest.raises(StageRuleError):
                check_win(rules, status, current)


@pytest.mark.parametrize("status", STATUSES)
def test_lose_at_any_stage_while_open(status: str) -> None:
    if status == "open":
        check_lose(status)
    else:
        with pytest.raises(StageRuleError, match="already closed"):
            check_lose(status)


@pytest.mark.parametrize("rules", [STRICT, MANUAL, NONE], ids=["strict", "manual", "none"])
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("step", [1, -1])
def test_every_step(rules: KindRules, status: str, step: int) -> None:
    for current in rules.stages or (None,):
        position = rules.stages.index(current) if current in rules.stages else -1
        expected: str | None = None
        if status == "open" and rules.control != StageControl.NONE:
            if step == 1 and position + 1 < len(rules.stages):
                expected = rules.stages[position + 1]
            if step == -1 and rules.control == StageControl.MANUAL and position > 0:
                expected = rules.stages[position - 1]
        if expected is None:
            with pytest.raises(StageRuleError) as error:
                step_target(rules, status, current, step)
            assert str(error.value)
        else:
            assert step_target(rules, status, current, step) == expected


def test_strict_step_back_is_refused_with_reason() -> None:
    with pytest.raises(StageRuleError, match="cannot go back"):
        step_target(STRICT, "open", "c", -1)


def test_next_and_previous() -> None:
    assert next_stage(STRICT, None) == "a"
    assert next_stage(STRICT, "d") is None
    assert previous_stage(STRICT, "a") is None
    assert previous_stage(STRICT, "c") == "b"
    assert next_stage(NONE, None) is None


@pytest.mark.parametrize("history,status,ok", [
    ([], "open", True),
    (["a"], "open", True),
    (["a", "b", "c", "d"], "won", True),
    (["a", "b"], "won", False),
    (["b"], "open", False),
    (["a", "c"], "open", False),
    (["a", "x"], "open", False),
])
def test_strict_history(history: list[str], status: str, ok: bool) -> None:
    assert (check_history(STRICT, history, status) == []) is ok


def test_manual_and_none_history() -> None:
    assert check_history(MANUAL, ["c", "a", "c"], "won") == []
    assert check_history(MANUAL, ["x"], "open") != []
    assert check_history(NONE, [], "lost") == []
    assert check_history(NONE, ["a"], "open") != []
