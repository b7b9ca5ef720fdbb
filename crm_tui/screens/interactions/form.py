"""InteractionFormScreen: create or edit a meeting, planned interaction, call, e-mail or SMS.

Entry point (docs/CONTRIBUTING.md): InteractionFormScreen(interaction_key=None,
partner_key=None, subject=("deal"|"claim"|"interaction", key) | None, follow_up_of=None).
Dismisses with the saved key, or None."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TextArea

from crm_tui.domain import clock
from crm_tui.domain.errors import ConflictError, DomainError, NotFoundError
from crm_tui.domain.formatting import moment_hint
from crm_tui.domain.interactions import InteractionDraft, SubjectRef
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.interactions import form_fields as ff
from crm_tui.screens.interactions.form_fields import values_of
from crm_tui.screens.navigation import open_chain
from crm_tui.screens.shell.base import CrmScreen
from crm_tui.store.partner_lookup import PartnerLookup
from crm_tui.widgets.key_bar import KeyBar
from crm_tui.widgets.partner_picker import PartnerPicker
from crm_tui.widgets.unsaved import ask_save_changes

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm_tui.store.repo_interactions import InteractionView
    from crm_tui.store.repo_interactions_lists import Choice

    # What the form reads on opening: managers, the interaction, its parent, subject title.
    Loaded = tuple[list[Choice], InteractionView | None, InteractionView | None, str | None]


class InteractionFormScreen(CrmScreen[str | None]):
    """The interaction form: common fields, then the fields of the chosen kind."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="interaction.save"),
        Binding("ctrl+t", "send", N_("Send e-mail"), id="interaction.send"),
        Binding("f6", "chain", N_("Subject chain"), id="interaction.chain"),
        Binding("escape", "cancel", N_("Back"), id="interaction.back"),
    ]
    CSS_PATH = "interactions.tcss"

    def __init__(self, interaction_key: str | None = None, partner_key: str | None = None,
                 subject: tuple[str, str] | None = None, follow_up_of: str | None = None) -> None:
        super().__init__()
        self.interaction_key = interaction_key
        self.partner_key = partner_key
        self.subject = SubjectRef(*subject) if subject else None
        self.follow_up_of = follow_up_of
        self._version = 0
        self._view: InteractionView | None = None
        self._contact_wanted: str | None = None
        self._contact_pending: str | None = None
        self._base: dict[str, Any] | None = None  # the values as opened (merge base)
        self._opened: dict[str, Any] | None = None  # the form's input as opened

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        with VerticalScroll(id="if-body"):
            yield Static("", id="if-title", markup=False)
            with Horizontal():
                with Vertical(classes="kind"):
                    yield Label(_("Kind"))
                    yield Select(ff.kind_options(), value="call", allow_blank=False,
                                 id="if-kind")
                with Vertical():
                    yield Label(_("Status"))
                    yield Select(ff.status_options(), value="in_progress", allow_blank=False,
                                 id="if-status")
                with Vertical(classes="moment"):
                    yield Label(_("Time"))
                    yield Input(ff.show_time(clock.now()), placeholder=moment_hint(),
                                id="if-at")
                with Vertical(classes="moment"):
                    yield Label(_("Review after"))
                    yield Input(placeholder=moment_hint(), id="if-review")
            yield Label(_("Topic"))
            yield Input(id="if-topic")
            with Horizontal():
                with Vertical():
                    yield Label(_("Partner"))
                    yield PartnerPicker(self.partner_key, source=PartnerLookup(self.app),
                                        id="if-partner")
                with Vertical():
                    yield Label(_("Contact"))
                    yield Select[str]([], id="if-contact", prompt=_("(none)"))
                with Vertical():
                    yield Label(_("Manager"))
                    yield Select[str]([], id="if-manager", prompt=_("(me)"))
            with Horizontal():
                with Vertical():
                    yield Label(_("Subject"))
                    yield Select(ff.subject_kind_options(), id="if-subject-kind",
                                 prompt=_("(none)"))
                with Vertical():
                    yield Label(_("Subject key"))
                    yield Input(id="if-subject-key")
            yield Static("", id="if-subject-title", markup=False)
            with Horizontal(classes="group", id="g-meeting"):
                with Vertical(classes="moment"):
                    yield Label(_("End"))
                    yield Input(placeholder=moment_hint(), id="if-end")
                with Vertical():
                    yield Label(_("Place"))
                    yield Input(id="if-place")
                with Vertical():
                    yield Label(_("Attendees"))
                    yield Input(id="if-attendees")
            with Horizontal(classes="group", id="g-direction"):
                with Vertical():
                    yield Label(_("Direction"))
                    yield Select(ff.direction_options(), value="outgoing", allow_blank=False,
                                 id="if-direction")
                with Vertical(id="g-phone"):
                    yield Label(_("Number"))
                    yield Input(id="if-phone")
                with Vertical(id="g-duration"):
                    yield Label(_("Duration (M:SS)"))
                    yield Input(id="if-duration")
            with Horizontal(classes="group", id="g-email"):
                with Vertical():
                    yield Label(_("Sender"))
                    yield Input(id="if-from")
                with Vertical():
                    yield Label(_("Recipient"))
                    yield Input(id="if-to")
            yield Label(_("Text"))
            yield TextArea(id="if-text")
            yield Static("", id="if-error", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self._title()
        self._show_kind("call")
        self._load()

    def _title(self) -> None:
        if self.interaction_key:
            title = _("Interaction {key}").format(key=self.interaction_key)
        elif self.follow_up_of:
            title = _("Follow-up to {key}").format(key=self.follow_up_of)
        else:
            title = _("New interaction")
        self.query_one("#if-title", Static).update(Text(title))

    # ------------------------------------------------------------------- loading
    def _load(self) -> None:
        def read(session: Session) -> Loaded:
            from crm_tui.store.repo_interactions import get_interaction, subject_title
            from crm_tui.store.repo_interactions_lists import managers

            return (managers(session),
                    get_interaction(session, self.interaction_key)
                    if self.interaction_key else None,
                    get_interaction(session, self.follow_up_of) if self.follow_up_of else None,
                    subject_title(session, self.subject) if self.subject else None)

        self.load_data(read, self._loaded, on_error=lambda error: self._error(str(error)))

    def _loaded(self, loaded: Loaded) -> None:
        people, view, parent, title = loaded
        self.query_one("#if-manager", Select).set_options(
            [(Text(p.title), p.key) for p in people])
        if view is not None:
            self._fill(view)
        elif parent is not None:
            from crm_tui.domain.interactions import follow_up_subject

            subject = follow_up_subject(parent.key, parent.subject)
            self._set_subject(subject, None)
            self.query_one("#if-topic", Input).value = safe_display(parent.topic)
            if parent.partner_key:
                self._set_partner(parent.partner_key, parent.partner_name,
                                  parent.contact_key)
            self.query_one("#if-subject-kind", Select).disabled = True
            self.query_one("#if-subject-key", Input).disabled = True
        elif self.subject is not None:
            self._set_subject(self.subject, title)
        if self.partner_key and view is None:
            self._load_contacts(self.partner_key)
        self._base = values_of(view.draft()) if view is not None else None
        self.call_after_refresh(self._remember_base)

    def _set_partner(self, key: str, name: str | None, contact_key: str | None) -> None:
        self._contact_wanted = self._contact_pending = contact_key
        self.query_one(PartnerPicker).choose(key, name or key)  # posts Changed: contacts load

    def _set_subject(self, subject: SubjectRef | None, title: str | None) -> None:
        kind = self.query_one("#if-subject-kind", Select)
        kind.value = subject.kind if subject else Select.NULL
        self.query_one("#if-subject-key", Input).value = safe_display(subject.key) \
            if subject else ""
        self.query_one("#if-subject-title", Static).update(Text(title or ""))

    def _fill(self, view: InteractionView) -> None:
        self._view = view
        self._version = view.version
        values = {"#if-topic": view.topic, "#if-at": ff.show_time(view.at),
                  "#if-review": ff.show_time(view.review_after),
                  "#if-end": ff.show_time(view.end), "#if-place": view.place or "",
                  "#if-attendees": view.attendees or "", "#if-phone": view.phone or "",
                  "#if-duration": ff.show_duration(view.duration_s),
                  "#if-from": view.email_from or "", "#if-to": view.email_to or ""}
        for selector, value in values.items():
            self.query_one(selector, Input).value = safe_display(value)
        self.query_one("#if-kind", Select).value = view.kind
        self.query_one("#if-status", Select).value = view.status
        if view.direction:
            self.query_one("#if-direction", Select).value = view.direction
        if view.manager_login:
            self.query_one("#if-manager", Select).value = view.manager_login
        self.query_one("#if-text", TextArea).text = view.text or ""
        self._set_subject(view.subject, view.subject_title)
        if view.partner_key:
            self._set_partner(view.partner_key, view.partner_name, view.contact_key)
        self._show_kind(view.kind)

    def _load_contacts(self, partner_key: str) -> None:
        def read(session: Session) -> list[Choice]:
            from crm_tui.store.repo_interactions_lists import contacts_of

            return contacts_of(session, partner_key)

        # A partner chosen after this one wins: its contacts are never replaced by these.
        self.load_data(read, self._show_contacts)

    def _show_contacts(self, contacts: list[Choice]) -> None:
        select = self.query_one("#if-contact", Select)
        select.set_options([(Text(c.title), c.key) for c in contacts])
        self._contact_pending = None
        if self._contact_wanted and any(c.key == self._contact_wanted for c in contacts):
            select.value = self._contact_wanted

    @on(PartnerPicker.Changed)
    def _partner_changed(self, event: PartnerPicker.Changed) -> None:
        self.query_one("#if-contact", Select).set_options([])
        if event.partner_key:
            self._load_contacts(event.partner_key)

    @on(Select.Changed, "#if-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._show_kind(event.value)

    def _show_kind(self, kind: str) -> None:
        self.query_one("#g-meeting").display = kind == "meeting"
        self.query_one("#g-direction").display = kind in ("call", "email", "sms")
        self.query_one("#g-phone").display = kind in ("call", "sms")
        self.query_one("#g-duration").display = kind == "call"
        self.query_one("#g-email").display = kind == "email"

    # -------------------------------------------------------------------- saving
    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def _select(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else None

    def draft(self) -> InteractionDraft:
        """The typed values (raises ValidationError on unparsable times)."""
        subject_kind = self._select("#if-subject-kind")
        subject_key = self._value("#if-subject-key").strip()
        subject = SubjectRef(subject_kind, subject_key) if subject_kind and subject_key else None
        return InteractionDraft(
            kind=self._select("#if-kind") or "call",
            topic=self._value("#if-topic"),
            at=cast("Any", ff.parse_time(self._value("#if-at"), "at", _("Time"), required=True)),
            status=self._select("#if-status") or "in_progress",
            partner_key=self.query_one(PartnerPicker).partner_key,
            # the partner's contacts may still be loading: the one it was opened with
            contact_key=self._select("#if-contact") or self._contact_pending,
            manager_login=self._select("#if-manager"),
            subject=subject,
            review_after=ff.parse_time(self._value("#if-review"), "review_after",
                                       _("Review after")),
            end=ff.parse_time(self._value("#if-end"), "end", _("End")),
            place=ff.optional(self._value("#if-place")),
            attendees=ff.optional(self._value("#if-attendees")),
            direction=self._select("#if-direction"),
            phone=ff.optional(self._value("#if-phone")),
            duration_s=ff.parse_duration(self._value("#if-duration")),
            email_from=ff.optional(self._value("#if-from")),
            email_to=ff.optional(self._value("#if-to")),
            text=self.query_one("#if-text", TextArea).text or None,
        )

    def action_save(self, then_send: bool = False, then: Callable[[], Any] | None = None
                    ) -> None:
        try:
            draft = self.draft()
        except DomainError as error:
            self._error(str(error))
            return
        self._save(draft, then_send, then)

    # -------------------------------------- unsaved input and conflicts (widgets/unsaved.py)
    def _current(self) -> dict[str, Any]:
        try:
            return values_of(self.draft())
        except DomainError as error:  # an unreadable time: not what was opened
            return {"unreadable": str(error)}

    def _remember_base(self) -> None:
        """What the form shows once filled (a stored control character shows escaped)."""
        self._opened = self._current()
        if self._base is None:  # a new interaction: merged (if ever) on what it started as
            self._base = self._opened

    def has_unsaved_changes(self) -> bool:
        return self._opened is not None and self._current() != self._opened

    def save_changes(self, then: Callable[[], Any]) -> None:
        self.action_save(then=then)

    @work(thread=True, exclusive=True, group="if-save")
    def _save(self, draft: InteractionDraft, then_send: bool,
              then: Callable[[], Any] | None = None, as_new: bool = False) -> None:
        from crm_tui.store import repo_interactions as repo

        key = None if as_new else self.interaction_key
        try:
            with self.db.write() as session:
                if key is not None:
                    version = repo.update_interaction(session, key, self._version, draft)
                else:
                    key = repo.create_interaction(session, draft,
                                                  None if as_new else self.follow_up_of)
                    version = repo.get_interaction(session, key).version
                saved = values_of(repo.get_interaction(session, key).draft())
        except (ConflictError, NotFoundError) as error:
            if key is None:
                self.app.call_from_thread(self._error, str(error))
                return
            try:
                with self.db.read() as session:
                    theirs: InteractionView | None = repo.get_interaction(session, key)
            except NotFoundError:
                theirs = None
            self.app.call_from_thread(self._conflict, draft, theirs, then_send, then)
            return
        except DomainError as error:
            self.app.call_from_thread(self._error, str(error))
            return
        # The form now holds the saved record, at its new version: a later Ctrl+S (say,
        # after a failed send) updates it rather than conflicting with itself.
        self.interaction_key, self._version = key, version
        self.app.call_from_thread(self._now_saved, saved)
        if then_send:
            self._send(key)
            return
        self.app.call_from_thread(self._close_saved, key, then)

    def _close_saved(self, key: str, then: Callable[[], Any] | None) -> None:
        # One call on the event loop: once dismissed, this worker may not get another.
        self.dismiss(key)
        if then is not None:
            then()

    def _now_saved(self, saved: dict[str, Any]) -> None:
        self._base = saved
        self._opened = self._current()
        self._title()

    def _conflict(self, mine: InteractionDraft, theirs: InteractionView | None,
                  then_send: bool, then: Callable[[], Any] | None) -> None:
        """Someone saved (or deleted) the interaction since it was opened: merge fields."""
        from crm_tui.widgets.conflict_dialog import resolve_conflict

        their_values = values_of(theirs.draft()) if theirs is not None else None

        def merged(values: dict[str, Any]) -> None:
            assert theirs is not None and their_values is not None
            self._base, self._version = their_values, theirs.version
            self._save(replace(theirs.draft(), **values), then_send, then)

        def reload() -> None:
            if theirs is None:
                self._opened = None
                self.dismiss(None)
            else:
                self._load()

        self._error(_("someone else changed this record after you opened it"))
        assert self._base is not None
        resolve_conflict(self.app, self._base, their_values, values_of(mine),
                         ff.field_labels(), ff.show_value, merged=merged, reload=reload,
                         new=lambda: self._save(mine, then_send, then, as_new=True),
                         opened=self._opened)

    def action_send(self) -> None:
        """Save, then send the e-mail through SMTP (outgoing e-mails only)."""
        if self._select("#if-kind") != "email" or self._select("#if-direction") != "outgoing":
            self.notify(_("only an outgoing e-mail can be sent"), severity="warning")
            return
        self.action_save(then_send=True)

    @work(thread=True, exclusive=True, group="if-send")
    def _send(self, key: str) -> None:
        from crm_tui.mail.send import send_interaction

        self.app.call_from_thread(self.notify, _("Sending…"))
        try:
            message_id = send_interaction(self.db, key)
        except DomainError as error:
            self._refresh_version(key)
            self.app.call_from_thread(self._error, str(error))
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, _("Sent: {id}").format(id=message_id),
                                  markup=False)
        self.app.call_from_thread(self.dismiss, key)

    def _refresh_version(self, key: str) -> None:
        """After a failed send: the send may have written (the Message-ID is recorded
        before sending), so the form takes the version and values as saved now, or the
        next Ctrl+S would conflict with the form's own record (call from a worker)."""
        from crm_tui.store.repo_interactions import get_interaction

        try:
            with self.db.read() as session:
                view = get_interaction(session, key)
        except DomainError:
            return
        self._version = view.version
        self.app.call_from_thread(self._now_saved, values_of(view.draft()))

    def _error(self, message: str) -> None:
        self.query_one("#if-error", Static).update(Text(message))

    def action_chain(self) -> None:
        view = self._view
        if view is not None:
            subject = view.subject or SubjectRef("interaction", view.key)
        elif self.subject is not None:
            subject = self.subject
        else:
            self.notify(_("This interaction has no subject yet"), severity="warning")
            return
        open_chain(self, subject.kind, subject.key)

    def action_cancel(self) -> None:
        ask_save_changes(self, lambda: self.dismiss(None))
