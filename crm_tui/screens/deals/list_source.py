"""The list view the deals board uses for non-process kinds (no stages, so no columns)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from crm_tui.domain.deals import show_amount
from crm_tui.domain.enums import LABELS
from crm_tui.i18n import _
from crm_tui.store.database import Database
from crm_tui.store.repo_deals import BoardFilter, DealCard, column_cards, column_total
from crm_tui.widgets.virtual_list import Column, Row


def deal_list_columns() -> list[Column]:
    """The list's columns (titles translated now)."""
    return [
        Column(_("Deal")),
        Column(_("Partner")),
        Column(_("Amount"), 18, "right"),
        Column(_("Manager"), 18),
        Column(_("Status"), 10),
        Column(_("Days"), 6, "right"),
    ]


class DealListSource:
    """Deals of one kind without stages, paged through ix_deal_board. Row.key is the card."""

    def __init__(self, db: Database, flt: BoardFilter) -> None:
        self.db = db
        self.flt = flt

    def count(self) -> int:
        with self.db.read() as session:
            return column_total(session, self.flt, None).count

    def fetch(self, offset: int, limit: int) -> Sequence[Row]:
        with self.db.read() as session:
            cards = column_cards(session, self.flt, None, offset, limit)
        return [self.row(card) for card in cards]

    @staticmethod
    def row(card: DealCard) -> Row:
        return Row(
            key=card,
            cells=(card.name, card.partner, show_amount(card.amount), card.manager,
                   _(LABELS.get(card.status, card.status)), str(card.days_in_stage)),
            style="" if card.status == "open" else "muted",
        )


def board_rows(db: Database, flt: BoardFilter, stages: list[tuple[int, str]],
               page: int = 500) -> Iterator[tuple[str, ...]]:
    """The board as a list (for an export): each column's cards in the board's order, the
    stage first; read page by page in the caller's worker."""
    for stage_id, stage in stages:
        offset = 0
        while True:
            with db.read() as session:
                cards = column_cards(session, flt, stage_id, offset, page)
            for card in cards:
                yield (stage, *DealListSource.row(card).cells)
            if len(cards) < page:
                break
            offset += page
