"""Running the importer's decoding and validation with and without its fast path."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from crm_tui.domain.enums import StageControl
from crm_tui.domain.stages import KindRules
from crm_tui.exchange import fast_path, importer
from crm_tui.exchange.context import CHILD_TABLES, TABLE_OF, Context
from crm_tui.exchange.errors import Problems
from crm_tui.exchange.importer import decode_lines


def _context() -> Context:
    """A context where partners P1 and P2, contacts K1 and K2, user ivanov, deal D1,
    claim L1, interaction OLD, the classifiers and deal kinds (strict, manual, none) exist
    in the database and interaction I0 was read earlier in the file."""
    ctx = Context()
    for kind in TABLE_OF:
        ctx.db_ids[kind] = {}
        ctx.new_ids[kind] = {}
    ctx.db_ids["partner"]["P1"] = 3
    ctx.db_ids["contact"]["K1"] = 4
    ctx.db_ids["user"]["ivanov"] = 5
    ctx.db_ids["deal"]["D1"] = 6
    ctx.db_ids["claim"]["L1"] = 7
    ctx.db_ids["interaction"]["OLD"] = 8  # an update
    ctx.new_ids["interaction"]["I0"] = 9
    for number, (kind, code) in enumerate((
            ("stage", "lead"), ("stage", "offer"), ("stage", "contract"),
            ("partner_role", "payer"), ("contact_role", "decider"), ("demand_reason", "stock"),
            ("demand_reason", "late"), ("loss_reason", "price"), ("agreement", "A1"),
            ("deal_kind", "strict"), ("deal_kind", "manual"), ("deal_kind", "none"),
            ("partner", "P2"), ("contact", "K2")), 20):
        ctx.db_ids[kind][code] = number
    ctx.kind_rules = {
        "strict": KindRules(StageControl.STRICT, ("lead", "offer", "contract")),
        "manual": KindRules(StageControl.MANUAL, ("lead", "contract")),
        "none": KindRules(StageControl.NONE, ())}
    for table in {*TABLE_OF.values(), *CHILD_TABLES}:
        ctx.next_id[table] = 100
    return ctx


def _state(ctx: Context) -> tuple[Any, ...]:
    batch = ctx.batch
    return (ctx.problems, batch.inserts, batch.updates, batch.replaced, batch.size, ctx.counts,
            ctx.next_id, ctx.new_ids)


def _run(lines: list[str], fast: bool) -> tuple[tuple[Any, ...], int]:
    """The importer's decoding and validation of `lines` (with or without the fast path):
    its state after, and how many lines the fast path decoded."""
    ctx = _context()
    problems = Problems()
    taken = 0
    with patch.object(importer, "candidate",
                      importer.candidate if fast else lambda _line: None):
        for number, obj, controls in decode_lines(lines, problems):
            taken += type(obj) is fast_path.Candidate
            importer.validate(ctx, number, obj, controls)
    ctx.problems[:0] = problems
    return _state(ctx), taken


def _both(lines: list[str]) -> tuple[tuple[Any, ...], tuple[Any, ...], int]:
    """(the general path's state, the fast path's, how many lines the fast path took)."""
    general, none = _run(lines, fast=False)
    assert none == 0
    fast, taken = _run(lines, fast=True)
    return general, fast, taken


