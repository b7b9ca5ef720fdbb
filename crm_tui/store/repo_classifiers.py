"""The classifier editors' store: simple classifiers and deal kinds.

Add, rename, reorder, archive and delete. Only an administrator changes them; every change
is audited. A value in use is never deleted (ClassifierInUse names where it is used; archive
it instead). Changing a deal kind's stages rewrites only `deal_kind_stage`: deals and their
stage histories (`deal_stage_entry`) are never touched."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlmodel import Session

from crm_tui.domain.enums import CLASSIFIER_KINDS, LABELS, StageControl
from crm_tui.domain.errors import ConflictError, NotFoundError, ValidationError
from crm_tui.domain.text import check_text
from crm_tui.i18n import N_, _
from crm_tui.store import audit
from crm_tui.store.models import (
    Agreement,
    Claim,
    Classifier,
    Deal,
    DealContact,
    DealDemandReason,
    DealKind,
    DealKindStage,
    DealParticipant,
    DealStageEntry,
    Partner,
)
from crm_tui.store.permissions import check_admin
from crm_tui.store.usages import RecordInUse, Usage, count_uses, places

_CL: Table = Classifier.__table__  # type: ignore[attr-defined]
_DK: Table = DealKind.__table__  # type: ignore[attr-defined]
_DKS: Table = DealKindStage.__table__  # type: ignore[attr-defined]
_CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
DEAL_KIND = "deal_kind"

# Every classifier the editors show, in menu order, with its title (translated where shown).
EDITORS: tuple[tuple[str, str], ...] = (
    ("stage", N_("Sales stages")),
    (DEAL_KIND, N_("Deal kinds")),
    ("partner_role", N_("Partner roles")),
    ("contact_role", N_("Contact roles")),
    ("demand_reason", N_("Unmet demand reasons")),
    ("loss_reason", N_("Loss reasons")),
    ("claim_reason", N_("Claim reasons")),
    ("region", N_("Business regions")),
    ("price_type", N_("Price types")),
)

# Where each kind of value may be used: (table, column, description shown to the user).
_USES: dict[str, tuple[tuple[Table, str, str], ...]] = {
    "region": ((Partner.__table__, "region_id", N_("partners (business region)")),),  # type: ignore[attr-defined]
    "stage": (
        (_DKS, "stage_id", N_("deal kinds (their stages)")),
        (Deal.__table__, "stage_id", N_("deals (current stage)")),  # type: ignore[attr-defined]
        (DealStageEntry.__table__, "stage_id", N_("deal stage histories")),  # type: ignore[attr-defined]
    ),
    "partner_role": ((DealParticipant.__table__, "role_id", N_("deal participants")),),  # type: ignore[attr-defined]
    "contact_role": ((DealContact.__table__, "role_id", N_("deal contacts")),),  # type: ignore[attr-defined]
    "demand_reason": ((DealDemandReason.__table__, "reason_id", N_("deals (unmet demand)")),),  # type: ignore[attr-defined]
    "loss_reason": ((Deal.__table__, "loss_reason_id", N_("lost deals")),),  # type: ignore[attr-defined]
    "claim_reason": ((Claim.__table__, "reason_id", N_("claims")),),  # type: ignore[attr-defined]
    "price_type": ((Agreement.__table__, "price_type_id", N_("agreements (price type)")),),  # type: ignore[attr-defined]
    DEAL_KIND: ((Deal.__table__, "kind_id", N_("deals")),),  # type: ignore[attr-defined]
}


class ClassifierInUse(RecordInUse):
    """A value that records refer to cannot be deleted; the message says where."""


@dataclass(frozen=True)
class ClassifierValue:
    """One value of a simple classifier."""

    kind: str
    code: str
    name: str
    sort_order: int
    archived: bool


@dataclass(frozen=True)
class DealKindValue:
    """A deal kind with its stage control and its stages (codes, in order)."""

    code: str
    name: str
    stage_control: str
    stages: tuple[str, ...]
    sort_order: int
    archived: bool


def _table(kind: str) -> Table:
    if kind == DEAL_KIND:
        return _DK
    if kind not in CLASSIFIER_KINDS:
        raise ValidationError(_("unknown classifier {kind}").format(kind=kind))
    return _CL


def _kind_filter(kind: str) -> list[Any]:
    return [] if kind == DEAL_KIND else [_CL.c.kind == kind]


def _audit_key(kind: str, code: str) -> str:
    return code if kind == DEAL_KIND else f"{kind}:{code}"


def _entity(kind: str) -> str:
    return DEAL_KIND if kind == DEAL_KIND else "classifier"


def list_values(session: Session, kind: str) -> list[ClassifierValue]:
    """Every value of a classifier (archived too), in their order."""
    table = _table(kind)
    rows = session.execute(
        select(table.c.code, table.c.name, table.c.sort_order, table.c.archived)
        .where(*_kind_filter(kind)).order_by(table.c.sort_order, table.c.id))
    return [ClassifierValue(kind, code, name, order, bool(archived))
            for code, name, order, archived in rows]


def list_deal_kinds(session: Session) -> list[DealKindValue]:
    """Every deal kind with its stages, in order."""
    stage_rows = session.execute(
        select(_DKS.c.kind_id, _CL.c.code).join(_CL, _CL.c.id == _DKS.c.stage_id)
        .order_by(_DKS.c.kind_id, _DKS.c.position)).all()
    stages: dict[int, list[str]] = {}
    for kind_id, code in stage_rows:
        stages.setdefault(kind_id, []).append(code)
    rows = session.execute(select(_DK).order_by(_DK.c.sort_order, _DK.c.id))
    return [DealKindValue(row.code, row.name, row.stage_control, tuple(stages.get(row.id, ())),
                          row.sort_order, bool(row.archived)) for row in rows]


def _row_id(session: Session, kind: str, code: str) -> int:
    table = _table(kind)
    row_id = session.execute(select(table.c.id).where(
        table.c.code == code, *_kind_filter(kind))).scalar()
    if row_id is None:
        raise NotFoundError(_("{code} does not exist").format(code=code))
    return int(row_id)


def check_name(name: str) -> str:
    """A value's name: trimmed, not empty, no control characters."""
    text = check_text(name.strip(), _("Name"))
    if not text:
        raise ValidationError(_("enter a name"), field="name")
    return text


def check_code(code: str) -> str:
    """A value's code: 1-64 Latin letters, digits, '_', '-' or '.'."""
    text = code.strip()
    if not _CODE.match(text):
        raise ValidationError(
            _("the code must be 1 to 64 Latin letters, digits, '_', '-' or '.'"), field="code")
    return text


def add_value(session: Session, kind: str, code: str, name: str) -> ClassifierValue:
    """Add a value at the end of the classifier (administrators only)."""
    check_admin(session)
    if kind == DEAL_KIND:
        raise ValidationError(_("use add_deal_kind for deal kinds"))
    table = _table(kind)
    code, name = check_code(code), check_name(name)
    if session.execute(select(table.c.id).where(table.c.code == code,
                                                *_kind_filter(kind))).first():
        raise ValidationError(_("the code {code} is already taken").format(code=code),
                              field="code")
    order = _next_order(session, kind)
    session.execute(insert(_CL).values(kind=kind, code=code, name=name, sort_order=order,
                                       archived=False))
    audit.record(session, "classifier", _audit_key(kind, code), "insert",
                 {"name": (None, name), "sort_order": (None, order)})
    return ClassifierValue(kind, code, name, order, False)


def _next_order(session: Session, kind: str) -> int:
    table = _table(kind)
    current = session.execute(select(func.max(table.c.sort_order)).where(
        *_kind_filter(kind))).scalar()
    step = 10 if kind == "stage" else 1
    return int(current or 0) + step


def rename_value(session: Session, kind: str, code: str, seen_name: str, new_name: str) -> None:
    """Rename a value; ConflictError if someone renamed it since it was shown as `seen_name`."""
    check_admin(session)
    table = _table(kind)
    new_name = check_name(new_name)
    row_id = _row_id(session, kind, code)
    result = session.execute(update(table).where(table.c.id == row_id,
                                                 table.c.name == seen_name).values(name=new_name))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(_("someone else renamed this value; the list is reloaded"))
    audit.record(session, _entity(kind), _audit_key(kind, code), "update",
                 {"name": (seen_name, new_name)})


def move_value(session: Session, kind: str, code: str, delta: int) -> bool:
    """Move a value one place up (delta -1) or down (+1); False when already at the edge."""
    check_admin(session)
    table = _table(kind)
    rows = [tuple(row) for row in session.execute(
        select(table.c.id, table.c.code, table.c.sort_order).where(*_kind_filter(kind))
        .order_by(table.c.sort_order, table.c.id))]
    codes = [row[1] for row in rows]
    if code not in codes:
        raise NotFoundError(_("{code} does not exist").format(code=code))
    position = codes.index(code)
    target = position + delta
    if target < 0 or target >= len(rows):
        return False
    orders = [row[2] for row in rows]
    if len(set(orders)) != len(orders):  # ties: number them first, keeping the shown order
        step = 10 if kind == "stage" else 1
        orders = [(index + 1) * step for index in range(len(rows))]
    orders[position], orders[target] = orders[target], orders[position]
    rows[position], rows[target] = rows[target], rows[position]
    orders_sorted = sorted(orders)
    for (row_id, row_code, old_order), new_order in zip(rows, orders_sorted, strict=True):
        if old_order != new_order:
            session.execute(update(table).where(table.c.id == row_id).values(
                sort_order=new_order))
            audit.record(session, _entity(kind), _audit_key(kind, row_code), "update",
                         {"sort_order": (old_order, new_order)})
    return True


def set_archived(session: Session, kind: str, code: str, archived: bool) -> None:
    """Archive a value (hidden from new choices, kept on old records) or bring it back."""
    check_admin(session)
    table = _table(kind)
    row_id = _row_id(session, kind, code)
    old = bool(session.execute(select(table.c.archived).where(table.c.id == row_id)).scalar())
    if old == archived:
        return
    session.execute(update(table).where(table.c.id == row_id).values(archived=archived))
    audit.record(session, _entity(kind), _audit_key(kind, code), "update",
                 {"archived": (old, archived)})


def usages(session: Session, kind: str, code: str) -> list[Usage]:
    """Where a value is used (empty when it is not)."""
    return count_uses(session, _USES.get(kind, ()), _row_id(session, kind, code))


def delete_value(session: Session, kind: str, code: str) -> None:
    """Delete an unused value; ClassifierInUse (naming where it is used) otherwise."""
    check_admin(session)
    table = _table(kind)
    used = usages(session, kind, code)
    if used:
        raise ClassifierInUse(
            _("{code} cannot be deleted: it is used in {places}; archive it instead").format(
                code=code, places=places(used)), used)
    row_id = _row_id(session, kind, code)
    name = session.execute(select(table.c.name).where(table.c.id == row_id)).scalar()
    if kind == DEAL_KIND:
        session.execute(delete(_DKS).where(_DKS.c.kind_id == row_id))
    session.execute(delete(table).where(table.c.id == row_id))
    audit.record(session, _entity(kind), _audit_key(kind, code), "delete", {"name": (name, None)})


def _check_kind(session: Session, control: str, stages: list[str]) -> list[int]:
    """Validate a deal kind's control and stages; the stages' row ids in order."""
    if control not in {value.value for value in StageControl}:
        raise ValidationError(_("choose the stage control"), field="stage_control")
    if control == StageControl.NONE and stages:
        raise ValidationError(_("a kind without stage control has no stages"), field="stages")
    if control != StageControl.NONE and not stages:
        raise ValidationError(_("a kind with stage control needs at least one stage"),
                              field="stages")
    if len(set(stages)) != len(stages):
        raise ValidationError(_("a stage is listed twice"), field="stages")
    ids: list[int] = []
    for stage in stages:
        try:
            ids.append(_row_id(session, "stage", stage))
        except NotFoundError as error:
            raise ValidationError(str(error), field="stages") from error
    return ids


def add_deal_kind(session: Session, code: str, name: str, control: str,
                  stages: list[str]) -> None:
    """Add a deal kind with its stage control and stages in order."""
    check_admin(session)
    code, name = check_code(code), check_name(name)
    if session.execute(select(_DK.c.id).where(_DK.c.code == code)).first():
        raise ValidationError(_("the code {code} is already taken").format(code=code),
                              field="code")
    stage_ids = _check_kind(session, control, stages)
    order = _next_order(session, DEAL_KIND)
    kind_id = session.execute(insert(_DK).values(
        code=code, name=name, stage_control=control, sort_order=order, archived=False)
    ).inserted_primary_key[0]  # type: ignore[attr-defined]
    _write_stages(session, int(kind_id), stage_ids)
    audit.record(session, DEAL_KIND, code, "insert", {
        "name": (None, name), "stage_control": (None, control),
        "stages": (None, ", ".join(stages))})


def _write_stages(session: Session, kind_id: int, stage_ids: list[int]) -> None:
    session.execute(delete(_DKS).where(_DKS.c.kind_id == kind_id))
    if stage_ids:
        session.execute(insert(_DKS), [
            {"kind_id": kind_id, "position": position, "stage_id": stage_id}
            for position, stage_id in enumerate(stage_ids, 1)])


def update_deal_kind(session: Session, code: str, name: str, control: str,
                     stages: list[str]) -> None:
    """Change a deal kind's name, stage control and stages.

    Only the kind's own stage list changes: existing deals keep their stage history
    (deal_stage_entry) and current stage exactly as they are."""
    check_admin(session)
    name = check_name(name)
    current = {kind.code: kind for kind in list_deal_kinds(session)}.get(code)
    if current is None:
        raise NotFoundError(_("{code} does not exist").format(code=code))
    stage_ids = _check_kind(session, control, stages)
    kind_id = _row_id(session, DEAL_KIND, code)
    session.execute(update(_DK).where(_DK.c.id == kind_id).values(
        name=name, stage_control=control))
    if tuple(stages) != current.stages:
        _write_stages(session, kind_id, stage_ids)
    audit.record(session, DEAL_KIND, code, "update", {
        "name": (current.name, name), "stage_control": (current.stage_control, control),
        "stages": (", ".join(current.stages), ", ".join(stages))})


def control_label(control: str) -> str:
    """The translated label of a stage control."""
    return _(LABELS.get(control, control))
