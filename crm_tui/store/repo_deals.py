"""Deals on the board: kinds and their stages, column aggregates, card pages, stage moves,
winning and losing. Every write checks permissions and the version and writes audit rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from crm_tui.domain import clock
from crm_tui.domain.deals import days_in_stage
from crm_tui.domain.enums import DealStatus, StageControl
from crm_tui.domain.errors import NotFoundError, ValidationError
from crm_tui.domain.money import from_minor
from crm_tui.domain.stages import KindRules, check_lose, check_move, check_win, step_target
from crm_tui.i18n import _
from crm_tui.store import audit
from crm_tui.store.models import (
    Classifier,
    Deal,
    DealKind,
    DealKindStage,
    DealStageEntry,
    Partner,
    User,
)
from crm_tui.store.permissions import check_can_edit
from crm_tui.store.users import current_login, ensure_current_user
from crm_tui.store.versioning import update_versioned


@dataclass(frozen=True)
class StageView:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class KindView:
    """A deal kind with its stages in order."""

    id: int
    code: str
    name: str
    control: StageControl
    stages: tuple[StageView, ...]

    @property
    def rules(self) -> KindRules:
        return KindRules(self.control, tuple(stage.code for stage in self.stages))

    @property
    def stage_names(self) -> dict[str, str]:
        return {stage.code: stage.name for stage in self.stages}


@dataclass(frozen=True)
class Choice:
    """A classifier value or a user, as a select shows it."""

    id: int
    code: str
    name: str


@dataclass(frozen=True)
class BoardFilter:
    """What the board shows: one kind; optionally one manager, one region; open deals only."""

    kind_id: int
    manager_id: int | None = None
    region_id: int | None = None
    open_only: bool = True


@dataclass(frozen=True)
class ColumnTotal:
    """Count and sum of the deals in one column (an SQL aggregate)."""

    count: int
    total: Decimal


@dataclass(frozen=True)
class DealCard:
    """One deal as a card or list row shows it."""

    id: int
    key: str
    name: str
    partner: str
    amount: Decimal
    manager: str
    status: str
    stage_id: int | None
    stage_at: datetime | None
    days_in_stage: int
    version: int


# ------------------------------------------------------------------ reference data
def list_kinds(session: Session) -> list[KindView]:
    """Every deal kind that is not archived, with its stages in order."""
    kinds = session.exec(
        select(DealKind).where(col(DealKind.archived).is_(False))
        .order_by(col(DealKind.sort_order), col(DealKind.id))
    ).all()
    rows = session.exec(
        select(DealKindStage.kind_id, Classifier.id, Classifier.code, Classifier.name)
        .join(Classifier, col(Classifier.id) == col(DealKindStage.stage_id))
        .order_by(col(DealKindStage.kind_id), col(DealKindStage.position))
    ).all()
    stages: dict[int, list[StageView]] = {}
    for kind_id, stage_id, code, name in rows:
        stages.setdefault(kind_id, []).append(StageView(stage_id or 0, code, name))
    return [
        KindView(kind.id or 0, kind.code, kind.name, StageControl(kind.stage_control),
                 tuple(stages.get(kind.id or 0, ())))
        for kind in kinds
    ]


def kind_by_id(session: Session, kind_id: int) -> KindView:
    for kind in list_kinds(session):
        if kind.id == kind_id:
            return kind
    raise NotFoundError(_("the deal kind no longer exists"))


def list_classifier(session: Session, kind: str) -> list[Choice]:
    """The values of one classifier (not archived), in their order."""
    rows = session.exec(
        select(Classifier).where(Classifier.kind == kind, col(Classifier.archived).is_(False))
        .order_by(col(Classifier.sort_order), col(Classifier.name))
    ).all()
    return [Choice(row.id or 0, row.code, row.name) for row in rows]


def list_users(session: Session) -> list[Choice]:
    """Every user (managers), by name."""
    rows = session.exec(select(User).order_by(col(User.name))).all()
    return [Choice(row.id or 0, row.login, row.name) for row in rows]


def current_user_id(session: Session) -> int:
    user = session.exec(select(User).where(User.login == current_login())).first()
    return user.id or 0 if user is not None else 0


# ------------------------------------------------------------------ the board
def _board_where(flt: BoardFilter, stage_id: int | None) -> list[Any]:
    conditions: list[Any] = [col(Deal.kind_id) == flt.kind_id]
    if flt.open_only:
        conditions.append(col(Deal.status) == DealStatus.OPEN.value)
    else:
        conditions.append(col(Deal.status).in_([status.value for status in DealStatus]))
    conditions.append(col(Deal.stage_id).is_(None) if stage_id is None
                      else col(Deal.stage_id) == stage_id)
    if flt.manager_id is not None:
        conditions.append(col(Deal.manager_id) == flt.manager_id)
    if flt.region_id is not None:
        conditions.append(
            col(Deal.partner_id).in_(select(Partner.id).where(Partner.region_id == flt.region_id))
        )
    return conditions


def column_total(session: Session, flt: BoardFilter, stage_id: int | None) -> ColumnTotal:
    """Count and sum of one column (stage_id None: the deals of a non-process kind)."""
    count, total = session.exec(
        select(func.count(), func.coalesce(func.sum(Deal.amount_minor), 0))
        .where(*_board_where(flt, stage_id))
    ).one()
    return ColumnTotal(int(count), from_minor(int(total)))


def column_cards(session: Session, flt: BoardFilter, stage_id: int | None, offset: int,
                 limit: int, now: datetime | None = None) -> list[DealCard]:
    """One page of a column's cards, longest in the stage first (ix_deal_board order)."""
    moment = now or clock.now()
    ids = [row for row in session.exec(
        select(Deal.id).where(*_board_where(flt, stage_id))
        .order_by(col(Deal.status), col(Deal.stage_at), col(Deal.id))
        .offset(offset).limit(limit)
    ).all()]
    return cards_by_ids(session, [i for i in ids if i is not None], moment)


def cards_by_ids(session: Session, ids: list[int], now: datetime) -> list[DealCard]:
    """Cards for the given deal ids, in the order given."""
    if not ids:
        return []
    rows = session.exec(
        select(Deal, Partner.name, User.name)
        .join(Partner, col(Partner.id) == col(Deal.partner_id))
        .join(User, col(User.id) == col(Deal.manager_id))
        .where(col(Deal.id).in_(ids))
    ).all()
    by_id = {deal.id: _card(deal, partner, manager, now) for deal, partner, manager in rows}
    return [by_id[i] for i in ids if i in by_id]


def card_by_key(session: Session, key: str, now: datetime | None = None) -> DealCard:
    deal = _deal(session, key)
    return cards_by_ids(session, [deal.id or 0], now or clock.now())[0]


def _card(deal: Deal, partner: str, manager: str, now: datetime) -> DealCard:
    return DealCard(
        id=deal.id or 0, key=deal.key, name=deal.name, partner=partner,
        amount=from_minor(deal.amount_minor), manager=manager, status=deal.status,
        stage_id=deal.stage_id, stage_at=deal.stage_at,
        days_in_stage=days_in_stage(deal.stage_at or deal.created_at, now),
        version=deal.version,
    )


# ------------------------------------------------------------------ moves
def _deal(session: Session, key: str) -> Deal:
    deal = session.exec(select(Deal).where(Deal.key == key)).first()
    if deal is None:
        raise NotFoundError(_("deal {key} no longer exists").format(key=key))
    return deal


def _stage_code(kind: KindView, stage_id: int | None) -> str | None:
    for stage in kind.stages:
        if stage.id == stage_id:
            return stage.code
    return None


def _stage_by_code(kind: KindView, code: str) -> StageView:
    for stage in kind.stages:
        if stage.code == code:
            return stage
    raise ValidationError(_("stage {stage} is not a stage of this deal kind").format(stage=code))


def add_stage_entry(session: Session, deal_id: int, stage_id: int, at: datetime) -> None:
    """Append one entry to a deal's stage history (the next seq)."""
    last = session.exec(
        select(func.max(DealStageEntry.seq)).where(DealStageEntry.deal_id == deal_id)
    ).one()
    session.add(DealStageEntry(deal_id=deal_id, seq=int(last or 0) + 1, stage_id=stage_id,
                               at=at, user_login=current_login()))


def move_deal(session: Session, key: str, seen_version: int, *, step: int = 0,
              target: str | None = None) -> str:
    """Move a deal one step (`step` ±1) or to the stage `target` (a code), obeying its kind's
    stage control; records the history entry and audit rows. Returns the new stage code.

    Raises StageRuleError (why the kind forbids it), ConflictError, PermissionDenied."""
    deal = _deal(session, key)
    check_can_edit(session, deal.manager_id)
    kind = kind_by_id(session, deal.kind_id)
    current = _stage_code(kind, deal.stage_id)
    names = kind.stage_names
    if target is None:
        target = step_target(kind.rules, deal.status, current, step, names)
    else:
        check_move(kind.rules, deal.status, current, target, names)
    stage = _stage_by_code(kind, target)
    now = clock.now()
    update_versioned(session, "deal", deal.id or 0, seen_version,
                     {"stage_id": stage.id, "stage_at": now})
    add_stage_entry(session, deal.id or 0, stage.id, now)
    audit.record(session, "deal", key, "update",
                 {"stage": (names.get(current or "", current), stage.name)})
    return target


def win_deal(session: Session, key: str, seen_version: int) -> None:
    """Close a deal as won (strict kinds: only from the last stage)."""
    deal = _deal(session, key)
    check_can_edit(session, deal.manager_id)
    kind = kind_by_id(session, deal.kind_id)
    check_win(kind.rules, deal.status, _stage_code(kind, deal.stage_id), kind.stage_names)
    now = clock.now()
    update_versioned(session, "deal", deal.id or 0, seen_version,
                     {"status": DealStatus.WON.value, "closed_at": now})
    audit.record(session, "deal", key, "update",
                 {"status": (deal.status, DealStatus.WON.value), "closed_at": (None, now)})


def lose_deal(session: Session, key: str, seen_version: int, reason_id: int) -> None:
    """Close a deal as lost at any stage, with a loss reason from its classifier."""
    deal = _deal(session, key)
    check_can_edit(session, deal.manager_id)
    check_lose(deal.status)
    reason = session.get(Classifier, reason_id)
    if reason is None or reason.kind != "loss_reason":
        raise ValidationError(_("choose a loss reason"), field="loss_reason")
    now = clock.now()
    update_versioned(session, "deal", deal.id or 0, seen_version,
                     {"status": DealStatus.LOST.value, "closed_at": now,
                      "loss_reason_id": reason_id})
    audit.record(session, "deal", key, "update",
                 {"status": (deal.status, DealStatus.LOST.value), "closed_at": (None, now),
                  "loss_reason": (None, reason.name)})


def user_id_for_current(session: Session) -> int:
    """The current user's id (created on first use)."""
    return ensure_current_user(session).id or 0
