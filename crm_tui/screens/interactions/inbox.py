"""The Inbox section: interactions still to do, the oldest due first (overdue, then today,
then later; `r` turns the order round), paged from the database.

Due = review_after when set, else the interaction's time (see domain.interactions). Snoozed
items (review_after in the future) are hidden from "in progress" and listed under "snoozed";
a timer checks every 30 seconds whether one came back and refreshes the list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from crm_tui.domain import clock
from crm_tui.domain.enums import LABELS
from crm_tui.domain.errors import ConflictError, DomainError
from crm_tui.domain.formatting import show_moment
from crm_tui.domain.interactions import SnoozeChoice, WorkDay, due, is_overdue, snooze_until
from crm_tui.i18n import N_, _
from crm_tui.screens.interactions.inbox_dialogs import VIEW_LABELS, FilterDialog, SnoozeMenu
from crm_tui.screens.navigation import new_record, open_chain, open_record
from crm_tui.screens.shell.base import SectionScreen, warm_list
from crm_tui.store.database import Database
from crm_tui.store.repo_interactions_lists import InboxFilter, InboxItem, InboxView
from crm_tui.widgets.interaction_kind import kind_column, short_kind
from crm_tui.widgets.status_line import StatusLine
from crm_tui.widgets.virtual_list import Column, Row, VirtualList, label_width

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm_tui.store.repo_interactions import InteractionView
    from crm_tui.store.repo_interactions_lists import Choice

REFRESH_SECONDS = 30


def status_width() -> int:
    """The status column: as wide as its longest value in the current language."""
    return label_width(N_("Status"), N_("Snoozed"), N_("Overdue"), LABELS["in_progress"],
                       LABELS["done"])
VIEW_CYCLE = (InboxView.IN_PROGRESS, InboxView.SNOOZED, InboxView.DONE, InboxView.ALL)


def _when(moment: datetime | None) -> str:
    return show_moment(moment)


class InboxSource:
    """Pages of the inbox for one filter at one moment (called in worker threads)."""

    def __init__(self, db: Database, flt: InboxFilter, now: datetime) -> None:
        self.db, self.filter, self.now = db, flt, now

    def count(self) -> int:
        from crm_tui.store.repo_interactions_lists import inbox_count

        with self.db.read() as session:
            return inbox_count(session, self.filter, self.now)

    def fetch(self, offset: int, limit: int) -> Sequence[Row]:
        from crm_tui.store.repo_interactions_lists import inbox_page

        with self.db.read() as session:
            items = inbox_page(session, self.filter, self.now, offset, limit)
        return [self.row(item) for item in items]

    def row(self, item: InboxItem) -> Row:
        style = "muted" if item.status == "done" else (
            "overdue" if is_overdue(item.status, item.at, item.end, self.now) else "")
        # A snoozed item's due time is the one it comes back at: the status only says so.
        snoozed = item.review_after is not None and item.review_after > self.now
        status = _("Snoozed") if snoozed else _("Overdue") if style == "overdue" \
            else _(LABELS[item.status])
        return Row((item.key, item.version),
                   (_when(due(item.at, item.review_after)), short_kind(item.kind), item.topic,
                    item.partner_name or (_("unknown sender") if item.unknown_sender else ""),
                    item.manager_name or "", status), style)


class InboxScreen(SectionScreen):
    """What is in progress: mark done, snooze, follow up, open the subject, make a claim."""

    # The list has the focus from the start (moving it there after loading cost a frame).
    AUTO_FOCUS = "VirtualList"

    SECTION = "inbox"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open record"), id="inbox.open", show=False),
        Binding("n", "new", N_("New"), id="inbox.new"),
        Binding("d", "done", N_("Mark done"), id="inbox.done"),
        Binding("s", "snooze", N_("Snooze"), id="inbox.snooze"),
        Binding("u", "follow_up", N_("Follow up"), id="inbox.follow_up"),
        Binding("o", "open_subject", N_("Subject"), id="inbox.subject"),
        Binding("h", "chain", N_("Chain"), id="inbox.chain"),
        Binding("c", "claim", N_("Claim"), id="inbox.claim"),
        Binding("l", "link_sender", N_("Link sender"), id="inbox.link_sender"),
        Binding("v", "next_view", N_("View"), id="inbox.view"),
        Binding("f", "filter", N_("Filter"), id="inbox.filter"),
        Binding("r", "reverse", N_("Reverse order"), id="inbox.reverse"),
    ]
    CSS_PATH = "interactions.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.filter = InboxFilter()
        self._checked_at: datetime | None = None

    def compose_body(self) -> ComposeResult:
        yield StatusLine(id="inbox-filter")
        # At 80 columns the manager goes first, then the status: the topic stays.
        yield VirtualList([Column(_("Due"), 16), kind_column(), Column(_("Topic"), min_width=14),
                           Column(_("Partner"), min_width=12),
                           Column(_("Manager"), 16, drop=2),
                           Column(_("Status"), status_width(), drop=1)],
                          id="inbox-list", empty_text=_("Nothing to do"),
                          on_count=self._show_filter)

    @classmethod
    def warm(cls, db: Database) -> None:
        warm_list(InboxSource(db, InboxFilter(), clock.now()))

    def on_database_ready(self) -> None:
        self._show_source()
        self.query_one(VirtualList).focus()
        self.set_interval(REFRESH_SECONDS, self._check_snoozed)

    def on_data_changed(self) -> None:
        self._show_source(keep_cursor=True)

    def on_screen_resume(self) -> None:
        if self.crm.db is not None and self.returning:
            self._show_source(keep_cursor=True)

    def _show_source(self, keep_cursor: bool = False) -> None:
        now = clock.now()
        self._checked_at = now
        self.query_one(VirtualList).set_source(InboxSource(self.db, self.filter, now),
                                               keep_cursor=keep_cursor)
        self._show_filter(None)

    def _show_filter(self, count: int | None) -> None:
        parts = [_(VIEW_LABELS[self.filter.view])]
        if self.filter.kind:
            parts.append(_(LABELS[self.filter.kind]))
        if self.filter.partner_key:
            parts.append(_("partner {key}").format(key=self.filter.partner_key))
        if self.filter.manager_login:
            parts.append(_("manager {login}").format(login=self.filter.manager_login))
        if self.filter.reverse:
            parts.append(_("reverse order"))
        if count is not None:
            parts.append(_("{count} items").format(count=count))
        self.query_one("#inbox-filter", StatusLine).update(Text(" · ".join(parts)))

    # ------------------------------------------------------- snoozed items return
    def _check_snoozed(self) -> None:
        if self.crm.db is not None and self.is_current:
            self._check_snoozed_since(self._checked_at, clock.now())

    def _check_snoozed_since(self, since: datetime | None, now: datetime) -> None:
        if since is None:
            return

        def read(session: Session) -> int:
            from sqlalchemy import func, select
            from sqlmodel import SQLModel

            t = SQLModel.metadata.tables["interaction"]
            return int(session.execute(
                select(func.count()).select_from(t).where(
                    t.c.status == "in_progress", t.c.review_after > since,
                    t.c.review_after <= now)).scalar() or 0)

        self.load_data(read, self._snoozed_back)

    def _snoozed_back(self, back: int) -> None:
        if back:
            self._show_source(True)

    # ------------------------------------------------------------------ actions
    def _current(self) -> tuple[str, int] | None:
        row = self.query_one(VirtualList).highlighted_row
        if row is None:
            self.notify(_("Nothing selected"), severity="warning")
            return None
        key, version = row.key
        return str(key), int(version)

    @on(VirtualList.Selected)
    def _selected(self, event: VirtualList.Selected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        current = self._current()
        if current:
            open_record(self, "interaction", current[0])

    def action_new(self) -> None:
        new_record(self, "interaction", partner_key=self.filter.partner_key)

    def action_follow_up(self) -> None:
        current = self._current()
        if current:
            new_record(self, "interaction", follow_up_of=current[0])

    def action_done(self) -> None:
        current = self._current()
        if current:
            self._write("done", current, None)

    def action_snooze(self) -> None:
        current = self._current()
        if current is None:
            return

        def read(session: Session) -> WorkDay:
            from crm_tui.store.setting_defaults import work_day

            return work_day(session)

        def ask(day: WorkDay) -> None:
            def chosen(choice: SnoozeChoice | None) -> None:
                if choice is not None and current is not None:
                    self._write("snooze", current, snooze_until(clock.now(), choice, day))

            self.app.push_screen(SnoozeMenu(day), chosen)

        self.load_data(read, ask, channel="snooze")

    @work(thread=True, exclusive=True, group="inbox-write")
    def _write(self, action: str, current: tuple[str, int], until: datetime | None) -> None:
        from crm_tui.store import repo_interactions as repo

        key, version = current
        try:
            with self.db.write() as session:
                if action == "done":
                    repo.mark_done(session, key, version)
                else:
                    assert until is not None
                    repo.snooze(session, key, version, until)
        except ConflictError as error:
            self.app.call_from_thread(self._refused, str(error), True)
            return
        except DomainError as error:
            self.app.call_from_thread(self._refused, str(error), False)
            return
        message = _("{key}: done").format(key=key) if action == "done" else \
            _("{key}: snoozed until {time}").format(key=key, time=_when(until))
        self.app.call_from_thread(self._written, message)

    def _written(self, message: str) -> None:
        self.notify(message, markup=False)
        self._show_source(keep_cursor=True)

    def linked(self, message: str) -> None:
        """An unknown sender's letters were linked (inbox_link.py): say so, show them."""
        self._written(message)

    def _refused(self, message: str, reload: bool) -> None:
        self.notify(message, severity="error", markup=False)
        if reload:
            self._show_source(keep_cursor=True)

    def action_chain(self) -> None:
        current = self._current()
        if current:
            self._subject_then(current[0], self._open_chain)

    def action_open_subject(self) -> None:
        current = self._current()
        if current:
            self._subject_then(current[0], self._open_subject)

    def _subject_then(self, key: str, then: Callable[[InteractionView], object]) -> None:
        def read(session: Session) -> InteractionView:
            from crm_tui.store.repo_interactions import get_interaction

            return get_interaction(session, key)

        self.load_data(read, then, channel="subject")  # the last key pressed wins

    def _open_chain(self, view: Any) -> None:
        subject = view.subject
        kind, key = (subject.kind, subject.key) if subject else ("interaction", view.key)
        open_chain(self, kind, key)

    def _open_subject(self, view: Any) -> None:
        subject = view.subject
        if subject is None:
            self.notify(_("This interaction has no subject"), severity="warning")
            return
        open_record(self, subject.kind, subject.key)

    def action_claim(self) -> None:
        current = self._current()
        if current:
            self._subject_then(current[0], self._open_claim)

    def _open_claim(self, view: Any) -> None:
        new_record(self, "claim", partner_key=view.partner_key, source="interaction",
                   interaction_key=view.key)

    def action_link_sender(self) -> None:
        """An unknown sender's letter: link its sender to a partner and contact, or start
        the partner wizard with the address filled in (screens/interactions/link_sender.py)."""
        current = self._current()
        if current:
            from crm_tui.screens.interactions.inbox_link import ask_link_sender

            ask_link_sender(self, current[0])

    def action_next_view(self) -> None:
        index = VIEW_CYCLE.index(self.filter.view)
        self.filter = replace(self.filter, view=VIEW_CYCLE[(index + 1) % len(VIEW_CYCLE)])
        self._show_source()

    def action_reverse(self) -> None:
        self.filter = replace(self.filter, reverse=not self.filter.reverse)
        self._show_source()

    def action_filter(self) -> None:
        self._open_filter()

    def _open_filter(self) -> None:
        def read(session: Session) -> list[Choice]:
            from crm_tui.store.repo_interactions_lists import managers

            return managers(session)

        def chosen(result: InboxFilter | None) -> None:
            if result is not None:
                self.filter = replace(result, reverse=self.filter.reverse)
                self._show_source()

        self.load_data(read, lambda people: self.app.push_screen(
            FilterDialog(self.filter, people), chosen), channel="filter")
