"""The deals board's outcome keys: win, lose (with a reason) and reopen the highlighted deal.

Each runs in the board's write worker and obeys the kind's rules (domain/stages.py). The
board composes this helper (`DealOutcomes(board).win()`) rather than inheriting it, so its
needs are the board's real members, checked by the type checker."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from crm_tui.domain.text import safe_display
from crm_tui.i18n import _

if TYPE_CHECKING:
    from crm_tui.screens.deals.board import DealsScreen
    from crm_tui.store.repo_deals import DealCard


class DealOutcomes:
    """Win, lose and reopen the board's highlighted deal."""

    def __init__(self, board: DealsScreen) -> None:
        self.board = board

    def win(self) -> None:
        from crm_tui.store.repo_deals import win_deal

        self._change_status(win_deal, _("{deal}: won"))

    def lose(self) -> None:
        from crm_tui.screens.deals.loss_reason_dialog import LossReasonDialog
        from crm_tui.store.repo_deals import lose_deal

        board = self.board
        card, ref = board.current_card, board.reference
        if card is None or ref is None:
            return

        def chosen(reason: int | None) -> None:
            if reason is not None:
                board._write(lambda s: lose_deal(s, card.key, card.version, reason),
                             lambda _r: self._outcome(card, _("{deal}: lost")))

        board.app.push_screen(LossReasonDialog(card.name, [(r.id, r.name)
                                                            for r in ref.loss_reasons]), chosen)

    def reopen(self) -> None:
        """Return a won or lost deal to work (closed deals show with "open and closed")."""
        from crm_tui.store.repo_deals import reopen_deal

        self._change_status(reopen_deal, _("{deal}: reopened"))

    def _change_status(self, write: Callable[[Any, str, int], None], message: str) -> None:
        """Run `write(session, key, seen_version)` on the highlighted deal, then say
        `message` and redraw the board."""
        card = self.board.current_card
        if card is not None:
            self.board._write(lambda s: write(s, card.key, card.version),
                              lambda _r: self._outcome(card, message))

    async def _outcome(self, card: DealCard, message: str) -> None:
        self.board._done(message.format(deal=safe_display(card.name)))
        await self.board.show_kind(keep_key=card.key)
