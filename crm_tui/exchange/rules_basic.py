"""Validation of classifiers, deal kinds and users."""

from __future__ import annotations

from crm_tui.domain.enums import StageControl
from crm_tui.domain.stages import KindRules
from crm_tui.exchange.context import Context
from crm_tui.exchange.values import Fields
from crm_tui.i18n import _

CONTROLS = frozenset(control.value for control in StageControl)


def classifier(kind: str, f: Fields, ctx: Context) -> None:
    """`{"type": KIND, "code", "name"}`; stages also carry an integer `order`."""
    before = len(ctx.problems)
    code = f.text("code", nonempty=True)
    name = f.text("name", nonempty=True)
    order = f.integer("order") if kind == "stage" else None
    claimed = ctx.register(kind, code, f.line) if code is not None else None
    if claimed is None or len(ctx.problems) != before:
        return
    row_id, is_update = claimed
    if kind != "stage":
        order = ctx.classifier_order.get(kind, 0) + 1
        ctx.classifier_order[kind] = order
    if is_update:
        row = {"id": row_id, "name": name}
        if kind == "stage":
            row["sort_order"] = order
        ctx.batch.update("classifier", row)
    else:
        ctx.batch.insert("classifier", {"id": row_id, "kind": kind, "code": code, "name": name,
                                        "sort_order": order, "archived": False})


def deal_kind(f: Fields, ctx: Context) -> None:
    """A deal kind with its stage control and the stages it walks, in order."""
    before = len(ctx.problems)
    code = f.text("code", nonempty=True)
    name = f.text("name", nonempty=True)
    control = f.choice("stage_control", CONTROLS)
    stages = f.string_items("stages")
    stage_ids: list[int] = []
    if stages is not None:
        seen: set[str] = set()
        for index, stage in enumerate(stages):
            stage_id = ctx.reference(ctx.problems, f.line, f"stages[{index + 1}]", "stage", stage)
            if stage in seen:
                f.field_problem(f"stages[{index + 1}]",
                                _("stage {stage} is listed twice").format(stage=stage))
            seen.add(stage)
            if stage_id is not None:
                stage_ids.append(stage_id)
        if control == StageControl.NONE and stages:
            f.field_problem("stages", _("a kind without stage control has no stages"))
        elif control is not None and control != StageControl.NONE and not stages:
            f.field_problem("stages", _("a kind with stage control needs at least one stage"))
    claimed = ctx.register("deal_kind", code, f.line) if code is not None else None
    # A required field given as null was reported by the shape check, before `before`.
    if claimed is None or len(ctx.problems) != before or code is None or control is None \
            or stages is None:
        return
    ctx.kind_rules[code] = KindRules(StageControl(control), tuple(stages))
    row_id, is_update = claimed
    if is_update:
        ctx.batch.update("deal_kind", {"id": row_id, "name": name, "stage_control": control})
        ctx.batch.replace_children(row_id, "deal_kind_stage")
    else:
        order = ctx.classifier_order.get("deal_kind", 0) + 1
        ctx.classifier_order["deal_kind"] = order
        ctx.batch.insert("deal_kind", {"id": row_id, "code": code, "name": name,
                                       "stage_control": control, "sort_order": order,
                                       "archived": False})
    ctx.batch.insert_many("deal_kind_stage", (
        {"id": ctx.allocate("deal_kind_stage"), "kind_id": row_id, "position": position,
         "stage_id": stage_id}
        for position, stage_id in enumerate(stage_ids, 1)
    ))


def user(f: Fields, ctx: Context) -> None:
    """A user: login and name (a new user gets the manager role)."""
    before = len(ctx.problems)
    login = f.text("login", nonempty=True)
    name = f.text("name", nonempty=True)
    claimed = ctx.register("user", login, f.line) if login is not None else None
    if claimed is None or len(ctx.problems) != before:
        return
    row_id, is_update = claimed
    if is_update:
        ctx.batch.update("app_user", {"id": row_id, "name": name})
    else:
        ctx.batch.insert("app_user", {"id": row_id, "login": login, "name": name,
                                      "role": "manager"})
