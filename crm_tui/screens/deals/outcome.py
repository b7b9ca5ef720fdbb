"""The deals board's outcome keys: win, lose (with a reason) and reopen the highlighted deal.

Each runs in the board's write worker and obeys the kind's rules (domain/stages.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from crm_tui.domain.text import safe_display
from crm_tui.i18n import _
from crm_tui.screens.shell.base import SectionScreen

if TYPE_CHECKING:
    from crm_tui.screens.deals.board import Reference
    from crm_tui.store.repo_deals import DealCard


class DealOutcomeActions(SectionScreen):
    """What DealsScreen adds to these actions: the highlighted card, its reference data, the
    write worker and the redraw of the board."""

    if TYPE_CHECKING:
        reference: Reference | None

        @property
        def current_card(self) -> DealCard | None: ...

        def _write(self, action: Callable[[Any], Any], done: Callable[[Any], Any]) -> None: ...

        def _done(self, message: str) -> None: ...

        async def show_kind(self, keep_key: str | None = None,
                            focus_stage: int | None = None, preloaded: Any = None) -> None: ...

    def action_win(self) -> None:
        from crm_tui.store.repo_deals import win_deal

        self._change_status(win_deal, _("{deal}: won"))

    def action_lose(self) -> None:
        from crm_tui.screens.deals.loss_reason_dialog import LossReasonDialog
        from crm_tui.store.repo_deals import lose_deal

        card, ref = self.current_card, self.reference
        if card is None or ref is None:
            return

        def chosen(reason: int | None) -> None:
            if reason is not None:
                self._write(lambda s: lose_deal(s, card.key, card.version, reason),
                            lambda _r: self._outcome(card, _("{deal}: lost")))

        self.app.push_screen(LossReasonDialog(card.name, [(r.id, r.name)
                                                           for r in ref.loss_reasons]), chosen)

    def action_reopen(self) -> None:
        """Return a won or lost deal to work (closed deals show with "open and closed")."""
        from crm_tui.store.repo_deals import reopen_deal

        self._change_status(reopen_deal, _("{deal}: reopened"))

    def _change_status(self, write: Callable[[Any, str, int], None], message: str) -> None:
        """Run `write(session, key, seen_version)` on the highlighted deal, then say
        `message` and redraw the board."""
        card = self.current_card
        if card is not None:
            self._write(lambda s: write(s, card.key, card.version),
                        lambda _r: self._outcome(card, message))

    async def _outcome(self, card: DealCard, message: str) -> None:
        self._done(message.format(deal=safe_display(card.name)))
        await self.show_kind(keep_key=card.key)
