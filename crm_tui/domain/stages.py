"""Stage control rules for deals, shared by the app (moves) and the importer (histories)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crm_tui.domain.enums import DealStatus, StageControl
from crm_tui.domain.errors import StageRuleError
from crm_tui.i18n import _


@dataclass(frozen=True)
class KindRules:
    """What the stage rules need to know about a deal kind."""

    control: StageControl
    stages: tuple[str, ...]

    @property
    def first_stage(self) -> str | None:
        return self.stages[0] if self.stages else None

    @property
    def last_stage(self) -> str | None:
        return self.stages[-1] if self.stages else None


def initial_stage(rules: KindRules) -> str | None:
    """The stage a new deal of this kind starts at (None for non-process kinds)."""
    return rules.first_stage


def _name(names: Mapping[str, str] | None, code: str | None) -> str:
    """How a stage is named in a message: its display name when known, else its code."""
    if code is None:
        return "-"
    return names.get(code, code) if names else code


def check_move(rules: KindRules, status: str, current: str | None, target: str,
               names: Mapping[str, str] | None = None) -> None:
    """Raise StageRuleError unless a deal at `current` may move to stage `target`.

    `names` maps stage codes to the names shown in the message (codes when absent)."""
    if status != DealStatus.OPEN:
        raise StageRuleError(_("the deal is closed; reopen it to change its stage"))
    if rules.control == StageControl.NONE:
        raise StageRuleError(_("a non-process deal has no stages"))
    if target not in rules.stages:
        raise StageRuleError(
            _("stage {stage} is not a stage of this deal kind").format(stage=_name(names, target))
        )
    if target == current:
        raise StageRuleError(_("the deal is already at this stage"))
    if rules.control == StageControl.STRICT:
        if current is None:
            expected = rules.stages[0]
        else:
            position = rules.stages.index(current) if current in rules.stages else -1
            if position + 1 >= len(rules.stages):
                raise StageRuleError(
                    _("strict stages: the deal is at the last stage; it can only be won or lost")
                )
            expected = rules.stages[position + 1]
        if target != expected:
            raise StageRuleError(
                _("strict stages: the deal can only move to the next stage, {stage}").format(
                    stage=_name(names, expected)
                )
            )


def next_stage(rules: KindRules, current: str | None) -> str | None:
    """The stage after `current` in the kind's order, or None at the end."""
    if not rules.stages:
        return None
    if current is None or current not in rules.stages:
        return rules.stages[0]
    position = rules.stages.index(current)
    return rules.stages[position + 1] if position + 1 < len(rules.stages) else None


def previous_stage(rules: KindRules, current: str | None) -> str | None:
    """The stage before `current` in the kind's order, or None at the start."""
    if current is None or current not in rules.stages:
        return None
    position = rules.stages.index(current)
    return rules.stages[position - 1] if position > 0 else None


def check_win(rules: KindRules, status: str, current: str | None,
              names: Mapping[str, str] | None = None) -> None:
    """Raise StageRuleError unless the deal may be won now (strict: only from the last stage;
    manual: from any stage; none: always while open)."""
    if status != DealStatus.OPEN:
        raise StageRuleError(_("the deal is already closed"))
    if rules.control == StageControl.STRICT and current != rules.last_stage:
        raise StageRuleError(
            _("strict stages: a deal can be won only from the last stage, {stage}").format(
                stage=_name(names, rules.last_stage)
            )
        )


def check_lose(status: str) -> None:
    """Raise StageRuleError unless the deal may be lost now (any stage of an open deal)."""
    if status != DealStatus.OPEN:
        raise StageRuleError(_("the deal is already closed"))


def check_reopen(status: str) -> None:
    """Raise StageRuleError unless the deal is closed (won or lost): only those reopen."""
    if status == DealStatus.OPEN:
        raise StageRuleError(_("the deal is open already"))


def step_target(rules: KindRules, status: str, current: str | None, step: int,
                names: Mapping[str, str] | None = None) -> str:
    """The stage a one-step move (`step` = +1 next, -1 previous) leads to, checked by the rules.

    Raises StageRuleError with the reason when the kind forbids the move."""
    if status != DealStatus.OPEN:
        raise StageRuleError(_("the deal is closed; reopen it to change its stage"))
    if rules.control == StageControl.NONE:
        raise StageRuleError(_("a non-process deal has no stages"))
    if step > 0:
        target = next_stage(rules, current)
        if target is None:
            raise StageRuleError(
                _("the deal is at the last stage; it can only be won or lost")
                if rules.control == StageControl.STRICT
                else _("the deal is already at the last stage")
            )
    else:
        if rules.control == StageControl.STRICT:
            raise StageRuleError(_("strict stages: a deal cannot go back to an earlier stage"))
        target = previous_stage(rules, current)
        if target is None:
            raise StageRuleError(_("the deal is already at the first stage"))
    check_move(rules, status, current, target, names)
    return target


def check_history(rules: KindRules, history: Sequence[str], status: str) -> list[str]:
    """Problems with a whole stage history (as in an imported deal); empty when it is valid."""
    problems: list[str] = []
    if rules.control == StageControl.NONE:
        if history:
            problems.append(_("a deal of a non-process kind has no stage history"))
        return problems
    for stage in history:
        if stage not in rules.stages:
            problems.append(
                _("stage {stage} is not a stage of this deal kind").format(stage=stage)
            )
    if problems or rules.control != StageControl.STRICT:
        return problems
    for position, stage in enumerate(history):
        if stage != rules.stages[position] if position < len(rules.stages) else True:
            problems.append(
                _("strict stages: entry {n} must be {stage}, the kind's stages go in order").format(
                    n=position + 1,
                    stage=rules.stages[position] if position < len(rules.stages) else "-",
                )
            )
            return problems
    if status == DealStatus.WON and (not history or history[-1] != rules.last_stage):
        problems.append(
            _("strict stages: a won deal must have reached the last stage, {stage}").format(
                stage=rules.last_stage
            )
        )
    return problems


def check_kind_change(status: str, has_history: bool) -> None:
    """Raise StageRuleError unless a deal may change its kind.

    A deal without a stage history (a non-process one) may take any kind: a staged kind
    starts it at that kind's first stage. A deal with a history keeps its kind, since the
    history is made of that kind's stages."""
    if status != DealStatus.OPEN:
        raise StageRuleError(_("the deal is closed; reopen it to change its kind"))
    if has_history:
        raise StageRuleError(_("the kind of a deal with a stage history cannot change: "
                               "its history is made of its kind's stages"))
