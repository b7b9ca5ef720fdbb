"""Deals on the board: kinds and their stages, column aggregates, card pages, stage moves,
winning and losing. Every write checks permissions and the version and writes audit rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import column, func, table
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from crm_tui.domain import clock
from crm_tui.domain.deals import days_in_stage
from crm_tui.domain.enums import DealStatus, StageControl
from crm_tui.domain.errors import NotFoundError, ValidationError
from crm_tui.domain.money import from_minor
from crm_tui.domain.stages import (
    KindRules,
    check_lose,
    check_move,
    check_reopen,
    check_win,
    step_target,
)
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
from crm_tui.store.users import current_login
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
def _kind_where(flt: BoardFilter) -> list[Any]:
    """The board's conditions, save the column's stage."""
    conditions: list[Any] = [col(Deal.kind_id) == flt.kind_id]
    if flt.open_only:
        conditions.append(col(Deal.status) == DealStatus.OPEN.value)
    else:
        conditions.append(col(Deal.status).in_([status.value for status in DealStatus]))
    if flt.manager_id is not None:
        conditions.append(col(Deal.manager_id) == flt.manager_id)
    if flt.region_id is not None:
        conditions.append(
            col(Deal.partner_id).in_(select(Partner.id).where(Partner.region_id == flt.region_id))
        )
    return conditions


def _board_where(flt: BoardFilter, stage_id: int | None) -> list[Any]:
    return [*_kind_where(flt), col(Deal.stage_id).is_(None) if stage_id is None
            else col(Deal.stage_id) == stage_id]


def column_total(session: Session, flt: BoardFilter, stage_id: int | None) -> ColumnTotal:
    """Count and sum of one column (stage_id None: the deals of a non-process kind)."""
    count, total = session.exec(
        select(func.count(), func.coalesce(func.sum(Deal.amount_minor), 0))
        .where(*_board_where(flt, stage_id))
    ).one()
    return ColumnTotal(int(count), from_minor(int(total)))


def column_totals(session: Session, flt: BoardFilter, stage_ids: list[int]
                  ) -> dict[int, ColumnTotal]:
    """Count and sum of every column of a board at once.

    Without a region filter they are read from deal_board_total (kept by triggers,
    migrations 0006 and, on PostgreSQL, 0017); otherwise one GROUP BY on the covering
    index ix_deal_board_totals."""
    kept = flt.region_id is None
    rows = (_kept_totals if kept else _counted_totals)(session, flt, stage_ids)
    found = {stage_id: ColumnTotal(int(count), from_minor(int(total)))
             for stage_id, count, total in rows}
    return {stage_id: found.get(stage_id, ColumnTotal(0, from_minor(0)))
            for stage_id in stage_ids}


def _counted_totals(session: Session, flt: BoardFilter, stage_ids: list[int]
                    ) -> Sequence[Any]:
    return session.exec(
        select(col(Deal.stage_id), func.count(), func.coalesce(func.sum(Deal.amount_minor), 0))
        .where(*_kind_where(flt), col(Deal.stage_id).in_(stage_ids))
        .group_by(col(Deal.stage_id))
    ).all()


# The counts kept by triggers (migrations 0006, 0017: no model of its own).
_KEPT = table("deal_board_total", column("kind_id"), column("status"), column("stage_key"),
              column("manager_id"), column("deals"), column("amount_minor"))


def _kept_totals(session: Session, flt: BoardFilter, stage_ids: list[int]) -> Sequence[Any]:
    if not stage_ids:
        return []
    kept = _KEPT.c
    statuses = [DealStatus.OPEN.value] if flt.open_only else [s.value for s in DealStatus]
    statement = (
        sa_select(kept.stage_key, func.sum(kept.deals), func.sum(kept.amount_minor))
        .where(kept.kind_id == flt.kind_id, kept.status.in_(statuses),
               kept.stage_key.in_(stage_ids))
        .group_by(kept.stage_key)
    )
    if flt.manager_id is not None:
        statement = statement.where(kept.manager_id == flt.manager_id)
    return session.execute(statement).all()


def _column_ids(session: Session, flt: BoardFilter, stage_id: int | None, offset: int,
                limit: int) -> list[int]:
    """One page of a column's deal ids, longest in the stage first (ix_deal_board order)."""
    return [row for row in session.exec(
        select(Deal.id).where(*_board_where(flt, stage_id))
        .order_by(col(Deal.status), col(Deal.stage_at), col(Deal.id))
        .offset(offset).limit(limit)
    ).all() if row is not None]


def column_cards(session: Session, flt: BoardFilter, stage_id: int | None, offset: int,
                 limit: int, now: datetime | None = None) -> list[DealCard]:
    """One page of a column's cards, longest in the stage first."""
    return cards_by_ids(session, _column_ids(session, flt, stage_id, offset, limit),
                        now or clock.now())


ColumnData = tuple[int, Decimal, list[DealCard]]  # count, sum, first cards


def board_columns(session: Session, flt: BoardFilter, stage_ids: list[int], limit: int,
                  now: datetime | None = None) -> list[ColumnData]:
    """Each column's count, sum and first `limit` cards: what opening a board reads."""
    totals = column_totals(session, flt, stage_ids)
    ids = {stage_id: _column_ids(session, flt, stage_id, 0, limit) for stage_id in stage_ids}
    cards = {card.id: card for card in cards_by_ids(
        session, [deal_id for page in ids.values() for deal_id in page], now or clock.now())}
    return [(totals[stage_id].count, totals[stage_id].total,
             [cards[deal_id] for deal_id in ids[stage_id] if deal_id in cards])
            for stage_id in stage_ids]


def cards_by_ids(session: Session, ids: list[int], now: datetime) -> list[DealCard]:
    """Cards for the given deal ids, in the order given (columns only, no ORM objects)."""
    if not ids:
        return []
    rows = session.execute(
        sa_select(col(Deal.id), col(Deal.key), col(Deal.name), col(Partner.name),
                  col(Deal.amount_minor), col(User.name), col(Deal.status),
                  col(Deal.stage_id), col(Deal.stage_at), col(Deal.created_at),
                  col(Deal.version))
        .join(Partner, col(Partner.id) == col(Deal.partner_id))
        .join(User, col(User.id) == col(Deal.manager_id))
        .where(col(Deal.id).in_(ids))
    ).all()
    by_id = {row[0]: _card(row, now) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def card_by_key(session: Session, key: str, now: datetime | None = None) -> DealCard:
    deal = _deal(session, key)
    return cards_by_ids(session, [deal.id or 0], now or clock.now())[0]


def _card(row: Any, now: datetime) -> DealCard:
    (deal_id, key, name, partner, amount_minor, manager, status, stage_id, stage_at,
     created_at, version) = row
    return DealCard(
        id=deal_id, key=key, name=name, partner=partner, amount=from_minor(amount_minor),
        manager=manager, status=status, stage_id=stage_id, stage_at=stage_at,
        days_in_stage=days_in_stage(stage_at or created_at, now), version=version,
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


def reopen_deal(session: Session, key: str, seen_version: int) -> None:
    """Return a won or lost deal to work at the stage it was closed at: its close date and
    loss reason are cleared (the change history keeps them)."""
    deal = _deal(session, key)
    check_can_edit(session, deal.manager_id)
    check_reopen(deal.status)
    reason = session.get(Classifier, deal.loss_reason_id) if deal.loss_reason_id else None
    update_versioned(session, "deal", deal.id or 0, seen_version,
                     {"status": DealStatus.OPEN.value, "closed_at": None,
                      "loss_reason_id": None})
    changes: dict[str, tuple[Any, Any]] = {
        "status": (deal.status, DealStatus.OPEN.value), "closed_at": (deal.closed_at, None)}
    if reason is not None:
        changes["loss_reason"] = (reason.name, None)
    audit.record(session, "deal", key, "update", changes)


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
