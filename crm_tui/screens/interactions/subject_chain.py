"""SubjectChainScreen(kind, key): the interactions of a subject (a deal, a claim or an
interaction) in time order, paged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from crm_tui.domain.enums import LABELS
from crm_tui.domain.formatting import show_moment
from crm_tui.domain.interactions import SUBJECT_LABELS, SubjectRef
from crm_tui.i18n import N_, _
from crm_tui.screens.navigation import new_record, open_record
from crm_tui.screens.shell.base import CrmScreen
from crm_tui.widgets.interaction_kind import kind_column, short_kind
from crm_tui.widgets.key_bar import KeyBar
from crm_tui.widgets.virtual_list import Column, Row, VirtualList

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm_tui.store.database import Database


class ChainSource:
    """Pages of one subject's chain (called in worker threads)."""

    def __init__(self, db: Database, subject: SubjectRef) -> None:
        self.db = db
        self.subject = subject

    def count(self) -> int:
        from crm_tui.store.repo_interactions import chain_count

        with self.db.read() as session:
            return chain_count(session, self.subject)

    def fetch(self, offset: int, limit: int) -> Sequence[Row]:
        from crm_tui.store.repo_interactions import chain

        with self.db.read() as session:
            items = chain(session, self.subject, limit=limit, offset=offset)
        return [
            Row(item.key, (show_moment(item.at), short_kind(item.kind),
                           ("● " if item.is_root else "") + item.topic, item.partner_name or "",
                           _(LABELS[item.status])),
                "muted" if item.status == "done" else "")
            for item in items
        ]


class SubjectChainScreen(CrmScreen[None]):
    """A subject's chain of interactions, oldest first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open record"), id="chain.open"),
        Binding("u", "follow_up", N_("Follow up"), id="chain.follow_up"),
        Binding("escape", "back", N_("Back"), id="chain.back"),
    ]
    CSS_PATH = "interactions.tcss"

    def __init__(self, kind: str, key: str) -> None:
        super().__init__()
        self.subject = SubjectRef(kind, key)

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Chain of {what} {key}").format(
            what=_(SUBJECT_LABELS[self.subject.kind]).lower(), key=self.subject.key)),
            id="chain-title", markup=False)
        yield VirtualList([Column(_("Time"), 16), kind_column(), Column(_("Topic")),
                           Column(_("Partner"), 24, drop=1), Column(_("Status"), 12)],
                          id="chain-list", empty_text=_("No interactions on this subject"))
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(VirtualList).set_source(ChainSource(self.db, self.subject))
        self.query_one(VirtualList).focus()
        self._load_title()

    def _load_title(self) -> None:
        def read(session: Session) -> str | None:
            from crm_tui.store.repo_interactions import subject_title

            return subject_title(session, self.subject)

        # Without a title (the subject is gone) the plain heading stays, as before.
        self.load_data(read, self._show_title, on_error=lambda _error: None)

    def _show_title(self, title: str | None) -> None:
        if title:
            text = _("Chain of {what} {key}").format(
                what=_(SUBJECT_LABELS[self.subject.kind]).lower(), key=title)
            self.query_one("#chain-title", Static).update(Text(text))

    def on_screen_resume(self) -> None:
        self.query_one(VirtualList).reload()

    @on(VirtualList.Selected)
    def _selected(self, event: VirtualList.Selected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        row = self.query_one(VirtualList).highlighted_row
        if row is None:
            return
        open_record(self, "interaction", row.key)

    def action_follow_up(self) -> None:
        row = self.query_one(VirtualList).highlighted_row
        if row is not None:
            new_record(self, "interaction", follow_up_of=row.key)
        else:
            new_record(self, "interaction", subject=(self.subject.kind, self.subject.key))

    def action_back(self) -> None:
        self.dismiss(None)
