"""Deal outcome keys: win, lose (with a reason) and reopen a deal.

Each runs in its host's write worker and obeys the kind's rules (domain/stages.py). The
board (its highlighted card) and the deal form (its deal) compose this helper
(`DealOutcomes(host).win()`) rather than inheriting it; what they must offer is
`OutcomeHost`, checked by the type checker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from crm_tui.domain.text import safe_display
from crm_tui.i18n import _

if TYPE_CHECKING:
    from textual.app import App


class DealTarget(Protocol):
    """The deal acted on: its key, the version seen and its name."""

    @property
    def key(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def name(self) -> str: ...


class OutcomeHost(Protocol):
    """A screen that can act on one deal."""

    @property
    def app(self) -> App[Any]: ...

    def deal_target(self) -> DealTarget | None:
        """The deal to act on (None: nothing to do)."""

    def loss_reason_choices(self) -> Sequence[tuple[int, str]]:
        """The loss reasons to offer: (id, name)."""

    def _write(self, action: Callable[[Any], Any], done: Callable[[Any], Any]) -> None:
        """Run `action(session)` in a write worker, then `done(result)`; show a refusal."""

    async def outcome_done(self, key: str, message: str) -> None:
        """Say `message` and show the deal `key` as it is now."""


class DealOutcomes:
    """Win, lose and reopen the host's deal."""

    def __init__(self, host: OutcomeHost) -> None:
        self.host = host

    def win(self) -> None:
        from crm_tui.store.repo_deals import win_deal

        self._change_status(win_deal, _("{deal}: won"))

    def ask_and_win(self) -> None:
        """Ask once, showing the deal (and its partner and amount where the host knows
        them), then win it: one key or button never closes a deal unasked."""
        from crm_tui.screens.deals.outcome_dialog import WinDialog

        target = self.host.deal_target()
        if target is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.win()

        self.host.app.push_screen(WinDialog(target), answered)

    def lose(self) -> None:
        from crm_tui.screens.deals.loss_reason_dialog import LossReasonDialog
        from crm_tui.screens.deals.outcome_dialog import deal_summary
        from crm_tui.store.repo_deals import lose_deal

        host = self.host
        target = host.deal_target()
        if target is None:
            return

        def chosen(reason: int | None) -> None:
            if reason is not None:
                host._write(lambda s: lose_deal(s, target.key, target.version, reason),
                            lambda _r: self._outcome(target, _("{deal}: lost")))

        host.app.push_screen(LossReasonDialog(target.name, host.loss_reason_choices(),
                                              summary=deal_summary(target)), chosen)

    def reopen(self) -> None:
        """Return a won or lost deal to work."""
        from crm_tui.store.repo_deals import reopen_deal

        self._change_status(reopen_deal, _("{deal}: reopened"))

    def _change_status(self, write: Callable[[Any, str, int], None], message: str) -> None:
        """Run `write(session, key, seen_version)` on the host's deal, then say `message`
        and show the deal again."""
        target = self.host.deal_target()
        if target is not None:
            self.host._write(lambda s: write(s, target.key, target.version),
                             lambda _r: self._outcome(target, message))

    async def _outcome(self, target: DealTarget, message: str) -> None:
        await self.host.outcome_done(target.key,
                                     message.format(deal=safe_display(target.name)))
