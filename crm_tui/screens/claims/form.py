"""The claim form: partner, reason, registration, description, manager, the outcome, the
action plan and the files; save, post and un-post, the interaction chain and history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TextArea

from crm_tui.domain import claims as rules
from crm_tui.domain import clock
from crm_tui.domain.claims import PlanTask
from crm_tui.domain.enums import LABELS, ClaimSource, ClaimStatus
from crm_tui.domain.errors import DomainError
from crm_tui.domain.formatting import moment_hint, show_date, show_moment
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.claims.form_files import ClaimFiles
from crm_tui.screens.claims.plan import ClaimPlan
from crm_tui.screens.navigation import open_chain, open_history
from crm_tui.screens.shell.base import CrmScreen
from crm_tui.store.partner_lookup import PartnerLookup
from crm_tui.store.repo_claims import ClaimDraft, ClaimView
from crm_tui.store.repo_claims_form import (
    FormData,
    SaveResult,
    claim_values,
    draft_values,
    merged_draft,
    read_form,
)
from crm_tui.store.repo_claims_form import save_form as save_in_db
from crm_tui.widgets.key_bar import KeyBar
from crm_tui.widgets.partner_picker import PartnerPicker
from crm_tui.widgets.unsaved import ask_save_changes

if TYPE_CHECKING:
    from sqlmodel import Session



def _field_labels() -> dict[str, str]:
    """The edited fields' labels in the UI language (as the form shows them)."""
    return {"partner_key": _("Partner"), "reason_code": _("Reason"),
            "registered_at": _("Registered at"), "description": _("Description"),
            "manager": _("Manager"), "status": _("Outcome"), "resolved_at": _("Resolved at"),
            "resolution": _("Resolution"), "tasks": _("Action plan")}


class ClaimFormScreen(CrmScreen[str | None]):
    """One claim. Dismisses with its key (None when nothing was saved)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="claim.save"),
        Binding("f9", "post", N_("Post / un-post"), id="claim.post"),
        Binding("f7", "chain", N_("Interactions"), id="claim.chain"),
        Binding("f8", "history", N_("History"), id="claim.history"),
        Binding("escape", "back", N_("Back"), id="claim.back"),
    ]
    CSS_PATH = "claims.tcss"

    def __init__(self, claim_key: str | None = None, partner_key: str | None = None,
                 source: str = "list", interaction_key: str | None = None,
                 source_document: str | None = None) -> None:
        super().__init__()
        self.claim_key = claim_key
        self.partner_key = partner_key
        self.source = source if claim_key is None else ClaimSource.LIST.value
        self.interaction_key = interaction_key
        self.source_document = source_document
        self.claim: ClaimView | None = None
        self.data: FormData | None = None
        self.version: int | None = None
        self.posted = False
        self.base: dict[str, Any] | None = None  # the edited fields as opened
        self._loading = True
        self._reason_names: dict[str, str] = {}

    # --------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield Static("", id="claim-title", markup=False)
        with VerticalScroll(id="claim-body"):
            with Grid():
                yield Label(_("Partner"))
                yield PartnerPicker(self.partner_key, source=PartnerLookup(self.app),
                                    id="claim-partner")
                yield Label(_("Reason"))
                yield Select[str]([], prompt=_("Choose the reason"), id="claim-reason")
                yield Label(_("Registered at"))
                yield Input(id="claim-registered", placeholder=moment_hint())
                yield Label(_("Manager"))
                yield Select[str]([], prompt=_("Manager"), id="claim-manager")
            yield Label(_("Description"))
            yield TextArea(id="claim-description", soft_wrap=True)
            with Horizontal(id="claim-outcome"):
                yield Label(_("Outcome"))
                yield Select[str](
                    [(Text(_(LABELS[s.value])), s.value) for s in ClaimStatus],
                    value=ClaimStatus.OPEN.value, allow_blank=False, id="claim-status")
                yield Label(_("Resolved at"))
                yield Input(id="claim-resolved", placeholder=moment_hint())
            yield Label(_("Resolution"))
            yield TextArea(id="claim-resolution", soft_wrap=True)
            yield ClaimPlan(id="claim-plan")
            yield ClaimFiles(id="claim-files")
        yield Static("", id="claim-error", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#claim-partner", PartnerPicker).focus()
        plan = self.query_one(ClaimPlan)
        plan.prefill = self._prefill_task
        if getattr(self.app, "db", None) is not None:
            self.load()

    # ----------------------------------------------------------------- load
    def load(self) -> None:
        claim_key, partner_key, interaction_key = (self.claim_key, self.partner_key,
                                                   self.interaction_key)
        self.load_data(lambda session: read_form(session, claim_key, partner_key,
                                                 interaction_key),
                       self._loaded, on_error=lambda error: self._fail(str(error)))

    def _fail(self, message: str) -> None:
        self.app.notify(message, severity="error", markup=False)
        self.dismiss(None)

    def _loaded(self, data: FormData) -> None:
        self._loading = True
        self.data = data
        self.claim = data.claim
        if data.claim is None and not data.enabled:
            self._fail(_("customer claims are switched off in settings"))
            return
        self._reason_names = {c.code: c.name for c in data.reasons}
        reason = self.query_one("#claim-reason", Select)
        reason.set_options([(Text(safe_display(c.name)), c.code) for c in data.reasons])
        manager = self.query_one("#claim-manager", Select)
        manager.set_options([(Text(safe_display(c.name)), c.code) for c in data.users])
        claim = data.claim
        today = clock.now().date()
        assignees = [(c.code, c.name) for c in data.users]
        if claim is not None:
            self._fill_from(claim)
        else:
            self.query_one("#claim-registered", Input).value = show_moment(clock.now())
            if data.login in {c.code for c in data.users}:
                manager.value = data.login
            if data.interaction is not None:
                text = data.interaction.topic
                if data.interaction.text:
                    text += "\n" + data.interaction.text
                self.query_one("#claim-description", TextArea).text = text
            if data.partner_name and self.partner_key is None and data.interaction:
                picker = self.query_one(PartnerPicker)
                picker.choose(data.interaction.partner_key or "", data.partner_name)
            self.query_one(ClaimPlan).load([], today, assignees, read_only=False)
            self.query_one(ClaimFiles).show(None, [], read_only=False)
        if claim is not None:
            self.query_one(ClaimPlan).load(claim.tasks, today, assignees, claim.posted)
        self._show_title()
        self.set_timer(0.2, self._loaded_done)
        if (claim is None and self.source == ClaimSource.DISCREPANCY_ACT
                and not self.source_document):
            from crm_tui.screens.claims.discrepancy_act_dialog import DiscrepancyActDialog

            self.app.push_screen(DiscrepancyActDialog(), self._act_given)

    def _loaded_done(self) -> None:
        self._loading = False
        if self.claim is None:  # a new claim: what it was prefilled with
            self.base = self._values()

    def _act_given(self, reference: str | None) -> None:
        if reference is None:
            self.dismiss(None)
            return
        self.source_document = reference
        self._show_title()

    def _fill_from(self, claim: ClaimView) -> None:
        self.claim_key = claim.key
        self.version = claim.version
        self.posted = claim.posted
        self.source = claim.source
        self.source_document = claim.source_document
        picker = self.query_one(PartnerPicker)
        picker.choose(claim.partner_key, claim.partner_name)
        self.query_one("#claim-reason", Select).value = claim.reason_code
        self.query_one("#claim-registered", Input).value = show_moment(claim.registered_at)
        manager = self.query_one("#claim-manager", Select)
        if claim.manager:
            manager.value = claim.manager
        else:
            manager.clear()
        self.query_one("#claim-description", TextArea).text = claim.description
        self.query_one("#claim-status", Select).value = claim.status
        self.query_one("#claim-resolved", Input).value = (
            show_moment(claim.resolved_at))
        self.query_one("#claim-resolution", TextArea).text = claim.resolution
        self.query_one(ClaimFiles).show(claim.key, claim.attachments, claim.posted)
        for selector in ("#claim-partner", "#claim-reason", "#claim-registered", "#claim-manager",
                         "#claim-description", "#claim-status", "#claim-resolved",
                         "#claim-resolution"):
            self.query_one(selector).disabled = claim.posted
        self.base = claim_values(claim)

    def _show_title(self) -> None:
        title = Text()
        title.append(self.claim_key or _("New claim"), style="bold")
        title.append("  " + _(LABELS.get(self.source, self.source)))
        if self.source_document:
            title.append("  " + safe_display(self.source_document))
        if self.posted:
            title.append("  " + _("POSTED: read-only, F9 un-posts"), style="bold green")
        if self.claim is not None and self.claim.chain_size:
            title.append("  " + _("interactions: {n}").format(n=self.claim.chain_size))
        self.query_one("#claim-title", Static).update(title)

    # ------------------------------------------------- unsaved input (widgets/unsaved.py)
    def _values(self) -> dict[str, Any]:
        try:
            return draft_values(self.draft())
        except DomainError as error:  # an unreadable date: not what was opened
            return {"unreadable": str(error)}

    def has_unsaved_changes(self) -> bool:
        """Whether the form differs from the claim as opened (posted claims are read-only)."""
        return self.base is not None and not self.posted and self._values() != self.base

    @property
    def dirty(self) -> bool:
        return self.has_unsaved_changes()

    def save_changes(self, then: Callable[[], Any]) -> None:
        self._submit(None, then)

    @on(ClaimFiles.Changed)
    def _files_changed(self) -> None:
        self.reload_files()

    def reload_files(self) -> None:
        claim_key = self.claim_key
        if claim_key is None:
            return

        def read(session: Session) -> ClaimView:
            from crm_tui.store.repo_claims import get_claim

            return get_claim(session, claim_key)

        self.load_data(read, self._files_read)

    def _files_read(self, claim: ClaimView) -> None:
        self.query_one(ClaimFiles).show(claim.key, claim.attachments, claim.posted)

    def _prefill_task(self) -> PlanTask:
        manager = self.query_one("#claim-manager", Select).value
        return rules.prefill_task(assignee=manager if isinstance(manager, str) else None)

    # ----------------------------------------------------------------- save
    def draft(self) -> ClaimDraft:
        """The form's values as a draft (raises DomainError on unreadable dates)."""
        registered = rules.parse_moment(self.query_one("#claim-registered", Input).value,
                                        _("Registered at"))
        if registered is None:
            raise DomainError(_("the registration date is required"))
        reason = self.query_one("#claim-reason", Select).value
        manager = self.query_one("#claim-manager", Select).value
        status = self.query_one("#claim-status", Select).value
        return ClaimDraft(
            partner_key=self.query_one(PartnerPicker).partner_key,
            reason_code=reason if isinstance(reason, str) else None,
            registered_at=registered,
            description=self.query_one("#claim-description", TextArea).text,
            manager=manager if isinstance(manager, str) else None,
            status=status if isinstance(status, str) else ClaimStatus.OPEN.value,
            resolved_at=rules.parse_moment(self.query_one("#claim-resolved", Input).value,
                                           _("Resolved at")),
            resolution=self.query_one("#claim-resolution", TextArea).text,
            source=self.source, source_document=self.source_document,
            interaction_key=self.interaction_key if self.claim_key is None else None,
            tasks=tuple(self.query_one(ClaimPlan).tasks),
        )

    def _error(self, message: str) -> None:
        self.query_one("#claim-error", Static).update(Text(message))
        self.app.notify(message, severity="error", markup=False)

    def _submit(self, post: bool | None, then: Callable[[], Any] | None = None) -> None:
        plan = self.query_one(ClaimPlan)
        if plan.editing and not plan.commit_editor():
            return
        try:
            draft = self.draft()
        except DomainError as error:
            self._error(str(error))
            return
        self.query_one("#claim-error", Static).update("")
        self.save(draft, self.version, post, then,
                  self.has_unsaved_changes() or self.claim_key is None)

    def action_save(self) -> None:
        if self.posted:
            self._error(_("the claim is posted and read-only; un-post it to change it"))
            return
        self._submit(None)

    def action_post(self) -> None:
        """Post the claim (saving it first), or un-post a posted one. With open tasks in
        the plan it asks first, or refuses where the settings forbid it."""
        if self.posted:
            self._submit(False)
            return
        open_count = rules.open_tasks(self.query_one(ClaimPlan).tasks)
        status = self.query_one("#claim-status", Select).value
        if not open_count or status == ClaimStatus.OPEN.value:
            self._submit(True)  # (an open claim is refused for its outcome: nothing to ask)
            return
        try:
            rules.check_can_post_with(open_count, self.data is None
                                      or self.data.post_with_open_tasks)
        except DomainError as error:
            self._error(str(error))
            return
        from crm_tui.screens.claims.post_confirm import PostOpenTasksDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self._submit(True)

        self.app.push_screen(PostOpenTasksDialog(open_count), answered)

    @work(thread=True, exclusive=True, group="claim-form")
    def save(self, draft: ClaimDraft, version: int | None, post: bool | None,
             then: Callable[[], Any] | None = None, dirty: bool = True) -> None:
        try:
            result = save_in_db(self.db, self.claim_key, version, draft, dirty=dirty, post=post)
        except DomainError as error:
            self.app.call_from_thread(self._error, str(error))
            return
        self.app.call_from_thread(self._saved, result, draft, post, then)

    def _saved(self, result: SaveResult, draft: ClaimDraft, post: bool | None,
               then: Callable[[], Any] | None = None) -> None:
        if result.conflict:
            self._conflict(draft, result.theirs, post, then)
            return
        self.claim_key = result.key
        messages = {None: _("Claim {key} saved"), True: _("Claim {key} posted"),
                    False: _("Claim {key} un-posted")}
        self.app.notify(messages[post].format(key=result.key), markup=False)
        self.interaction_key = None
        if then is not None:
            self.base = None
            then()
            if self not in self.app.screen_stack:
                return  # left (Esc, F2, Ctrl+Q): nothing to show again
        self.load()

    def _conflict(self, mine: ClaimDraft, theirs: ClaimView | None, post: bool | None,
                  then: Callable[[], Any] | None) -> None:
        """Someone saved (or deleted) the claim since it was opened: merge field by field."""
        from crm_tui.widgets.conflict_dialog import resolve_conflict

        their_values = claim_values(theirs) if theirs is not None else None

        def merged(values: dict[str, Any]) -> None:
            assert theirs is not None and their_values is not None
            self.base, self.version = their_values, theirs.version
            self.save(merged_draft(theirs, values), theirs.version, post, then)

        def reload() -> None:
            if theirs is None:
                self.base = None
                self.dismiss(None)
            else:
                self.load()

        def as_new() -> None:
            # a new claim registered by hand: the deleted one's interaction link is gone
            self.claim_key, self.version = None, None
            if self.source == ClaimSource.INTERACTION:
                self.source = ClaimSource.LIST.value
            self.save(replace(mine, source=self.source, interaction_key=None), None, None, then)

        assert self.base is not None
        resolve_conflict(self.app, self.base, their_values, draft_values(mine), _field_labels(),
                         self._show_value, merged=merged, reload=reload, new=as_new,
                         row_keys={"tasks": lambda task: task})

    def _show_value(self, name: str, value: Any) -> str:
        if value is None:
            return ""
        if name in ("registered_at", "resolved_at"):
            return show_moment(value)
        if name == "reason_code":
            return self._reason_names.get(value, value)
        if name == "status":
            return _(LABELS.get(value, value))
        if name == "tasks":
            return "; ".join(task.name + (f" ({show_date(task.due)})" if task.due else "")
                             for task in value)
        return str(value)

    # -------------------------------------------------------------- leaving
    def action_back(self) -> None:
        plan = self.query_one(ClaimPlan)
        if plan.editing:
            plan.cancel_editor()
            return
        ask_save_changes(self, lambda: self.dismiss(self.claim_key))

    def action_chain(self) -> None:
        if self.claim_key is None:
            self._error(_("save the claim first"))
            return
        open_chain(self, "claim", self.claim_key)

    def action_history(self) -> None:
        if self.claim_key is None:
            return
        open_history(self, "claim", self.claim_key)

