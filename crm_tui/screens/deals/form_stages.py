"""Stage control inside the deal form: the stage bar's moves (next, previous, any stage of a
manual kind, win, lose with a reason, reopen) and the kind's change, under the same rules and
store calls as the board (store/repo_deals.py, screens/deals/outcome.py). A refusal is shown
as the rules word it. A move waits until the form's edits are saved, since it saves a new
version of the deal; the form is read again after it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.widgets import Button, TabPane

from crm_tui.domain.enums import LABELS, DealStatus, StageControl
from crm_tui.domain.errors import DomainError, StageRuleError
from crm_tui.domain.stages import check_kind_change
from crm_tui.domain.text import safe_display
from crm_tui.i18n import _
from crm_tui.screens.deals.outcome import DealOutcomes
from crm_tui.screens.shell.base import CrmScreen
from crm_tui.widgets.deal_stage_bar import DealStageBar

if TYPE_CHECKING:
    from crm_tui.store.repo_deals import KindView
    from crm_tui.store.repo_deals_form import DealDetail, FormChoices

EDITABLE_TABS = ("#tab-main", "#tab-parties", "#tab-demand")


@dataclass(frozen=True)
class FormDeal:
    """The form's deal as the outcome keys need it."""

    key: str
    version: int
    name: str
    partner: str | None = None  # shown when asking to win or lose
    amount: Decimal | None = None


class FormStages(CrmScreen[str | None]):
    """The deal form's stage bar and kind rules (DealFormScreen derives from it)."""

    detail: DealDetail | None
    choices: FormChoices | None
    version: int | None
    last_error: str

    # ------------------------------------------------------------ provided by the form
    def load(self) -> None:
        raise NotImplementedError

    def has_unsaved_changes(self) -> bool:
        raise NotImplementedError

    def _show_error(self, field_name: str, message: str) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------ showing
    @property
    def is_closed(self) -> bool:
        return self.detail is not None and self.detail.status != DealStatus.OPEN.value

    def _kind(self, code: str | None) -> KindView | None:
        kinds = self.choices.kinds if self.choices is not None else ()
        return next((k for k in kinds if k.code == code), None)

    def show_stage(self, detail: DealDetail) -> None:
        """The stage bar for a saved deal; a closed deal's fields are read-only."""
        kind = self._kind(detail.draft.kind)
        summary = Text()
        staged = kind is not None and kind.control != StageControl.NONE
        if staged and kind is not None:
            summary.append(_("Stage: "), style="bold")
            summary.append(safe_display(detail.stage or "-"))
            codes = [s.code for s in kind.stages]
            if detail.stage_code in codes:
                summary.append(" " + _("({n} of {count})").format(
                    n=codes.index(detail.stage_code) + 1, count=len(codes)))
            summary.append("  ")
        summary.append(_("Status: "), style="bold")
        summary.append(_(LABELS.get(detail.status, detail.status)))
        if detail.loss_reason:
            summary.append(" — " + safe_display(detail.loss_reason))
        if kind is not None:
            summary.append("  ")
            summary.append(safe_display(kind.name), style="italic")
            summary.append(f" ({_(LABELS[kind.control.value])})", style="italic")
        closed = detail.status != DealStatus.OPEN.value
        if closed:
            summary.append("  ")
            summary.append(_("Read-only until reopened."), style="bold")
        self.query_one(DealStageBar).show(summary, closed=closed, staged=staged)
        for selector in EDITABLE_TABS:
            self.query_one(selector, TabPane).disabled = closed

    def check_kind(self, value: object) -> None:
        """Say at once when the kind chosen cannot be the deal's (saving says it again)."""
        detail = self.detail
        if detail is None or value == detail.draft.kind:
            return
        try:
            check_kind_change(detail.status, bool(detail.timeline))
        except StageRuleError as error:
            self._show_error("kind", str(error))

    # ------------------------------------------------------------ moves
    @on(Button.Pressed, "DealStageBar Button")
    def _stage_button(self, event: Button.Pressed) -> None:
        event.stop()
        action = {"stage-next": lambda: self.step(1), "stage-prev": lambda: self.step(-1),
                  "stage-choose": self.choose_stage,
                  "stage-win": self._ask_and_win, "stage-lose": DealOutcomes(self).lose,
                  "stage-reopen": DealOutcomes(self).reopen}.get(event.button.id or "")
        if action is not None and self.deal_target() is not None:
            action()

    def step(self, step: int) -> None:
        from crm_tui.store.repo_deals import move_deal

        target = self.deal_target()
        if target is not None:
            self._write(lambda s: move_deal(s, target.key, target.version, step=step),
                        lambda _code: self.outcome_done(target.key, _("{deal}: moved").format(
                            deal=safe_display(target.name))))

    def choose_stage(self) -> None:
        """Any stage of the kind (the rules refuse what the kind does not allow)."""
        from crm_tui.screens.deals.loss_reason_dialog import StageDialog
        from crm_tui.store.repo_deals import move_deal

        target, detail = self.deal_target(), self.detail
        kind = self._kind(detail.draft.kind) if detail is not None else None
        if target is None or kind is None:
            return
        codes = {stage.id: stage.code for stage in kind.stages}

        def chosen(stage_id: int | None) -> None:
            if stage_id is not None:
                self._write(
                    lambda s: move_deal(s, target.key, target.version, target=codes[stage_id]),
                    lambda _code: self.outcome_done(target.key, _("{deal}: moved").format(
                        deal=safe_display(target.name))))

        self.app.push_screen(StageDialog(target.name, [(s.id, s.name) for s in kind.stages]),
                             chosen)

    # ------------------------------------------------------------ what DealOutcomes needs
    def deal_target(self) -> FormDeal | None:
        """The saved deal; None (and why) while the form has unsaved edits."""
        detail = self.detail
        if detail is None:
            return None
        if self.has_unsaved_changes():
            self._refuse(_("save or undo your changes first: a stage move saves the deal"))
            return None
        return FormDeal(detail.key, self.version or detail.version, detail.draft.name,
                        detail.partner_name or None, detail.draft.amount)

    def _ask_and_win(self) -> None:
        """As the board: refused at once when the kind's rules do not allow it, else asked."""
        from crm_tui.domain.stages import check_win

        detail = self.detail
        kind = self._kind(detail.draft.kind) if detail is not None else None
        if detail is not None and kind is not None:
            try:
                check_win(kind.rules, detail.status, detail.stage_code, kind.stage_names)
            except StageRuleError as error:
                self._refuse(str(error))
                return
        DealOutcomes(self).ask_and_win()

    def loss_reason_choices(self) -> list[tuple[int, str]]:
        reasons = self.choices.loss_reasons if self.choices is not None else ()
        return [(r.id, r.name) for r in reasons]

    def _write(self, action: Callable[[Any], Any], done: Callable[[Any], Any]) -> None:
        """Run `action(session)` in a write worker; show the reason when it is refused."""

        def run() -> None:
            try:
                with self.db.write() as session:
                    result = action(session)
            except DomainError as error:
                self.app.call_from_thread(self._refuse, str(error))
                return
            self.app.call_from_thread(done, result)

        self.run_worker(run, thread=True, exclusive=True, group="deal-form-stage")

    def _refuse(self, message: str) -> None:
        self.last_error = message
        self.notify(message, severity="error", markup=False)

    async def outcome_done(self, key: str, message: str) -> None:
        self.last_error = ""
        self.notify(message, markup=False)
        self.load()

