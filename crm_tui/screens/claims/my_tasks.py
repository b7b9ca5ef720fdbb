"""MyTasksScreen: the open claim-plan tasks assigned to the current user across claims,
overdue first; space marks one done, Enter opens its claim. Supervisors and administrators
choose whose tasks to see (anyone's, or everyone's)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal

from crm_tui.domain import clock
from crm_tui.domain.enums import UserRole
from crm_tui.domain.errors import DomainError
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.navigation import open_record
from crm_tui.screens.shell.base import CrmScreen
from crm_tui.store.database import Database
from crm_tui.store.users import current_login
from crm_tui.widgets.filter_choice import FilterChoice
from crm_tui.widgets.key_bar import KeyBar
from crm_tui.widgets.status_line import StatusLine
from crm_tui.widgets.virtual_list import Column, Row, VirtualList

if TYPE_CHECKING:
    from sqlmodel import Session

EVERYONE = "*"


@dataclass(frozen=True)
class TaskRowSource:
    """Pages of one assignee's open tasks (called in worker threads). A row's key is
    "TASK_ID CLAIM_KEY": the task to mark and the claim to open."""

    db: Database
    assignee: str | None  # None: everyone's
    today: date

    def count(self) -> int:
        from crm_tui.store.repo_claim_tasks import count_my_tasks

        with self.db.read() as session:
            return count_my_tasks(session, self.assignee, self.today)[0]

    def fetch(self, offset: int, limit: int) -> Sequence[Row]:
        from crm_tui.store.repo_claim_tasks import my_tasks

        with self.db.read() as session:
            tasks = my_tasks(session, self.assignee, limit=limit, offset=offset)
        rows = []
        for task in tasks:
            overdue = task.due is not None and task.due < self.today
            due = task.due.isoformat() if task.due else ""
            cells = (("! " if overdue else "") + due, task.claim_key, task.partner_name,
                     task.name, task.description.replace("\n", " "),
                     task.assignee_name or "")
            rows.append(Row(f"{task.id} {task.claim_key}", cells, "overdue" if overdue else ""))
        return rows


class MyTasksScreen(CrmScreen[None]):
    """Every open task assigned to the user, across claims."""

    AUTO_FOCUS = "VirtualList"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,x", "done", N_("Mark the task done"), id="tasks.done"),
        Binding("enter,e", "open", N_("Open claim"), id="tasks.open"),
        Binding("a", "assignee", N_("Assignee"), id="tasks.assignee"),
        Binding("escape", "back", N_("Back"), id="tasks.back"),
    ]
    CSS_PATH = "claims.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.me = current_login()
        self.assignee: str | None = self.me
        self.returning = False  # a ScreenResume also comes on the first show

    def compose(self) -> ComposeResult:
        with Horizontal(id="tasks-top"):
            yield StatusLine(id="tasks-title")
            yield FilterChoice(prompt=_("Assignee"), allow_blank=False, id="tasks-assignee")
        yield VirtualList([
            Column(_("Due"), 12), Column(_("Claim"), 10), Column(_("Partner"), 20),
            Column(_("Task")), Column(_("Description")), Column(_("Assignee"), 16),
        ], id="tasks-list", empty_text=_("No open tasks"))
        yield KeyBar()

    @property
    def supervises(self) -> bool:
        return self.crm.user_role in (UserRole.SUPERVISOR, UserRole.ADMIN)

    def on_mount(self) -> None:
        self.set_class(self.supervises, "-supervisor")
        self._refresh()
        if self.supervises:
            self._load_users()
        self.crm.data_changed.subscribe(self, self._data_changed)

    def _data_changed(self, _nothing: None) -> None:
        """Another session committed (a task done, a plan changed): read the list again."""
        if self.is_current:
            self._refresh(keep_cursor=True)

    def on_screen_suspend(self) -> None:
        self.returning = True

    def on_screen_resume(self) -> None:
        if self.returning:  # back from a claim: its tasks may have changed
            self._refresh(keep_cursor=True)

    def _refresh(self, keep_cursor: bool = False) -> None:
        source = TaskRowSource(self.db, self.assignee, clock.now().date())
        self.query_one(VirtualList).set_source(source, keep_cursor=keep_cursor)
        self._load_count()

    def _load_count(self) -> None:
        assignee, today = self.assignee, clock.now().date()

        def read(session: Session) -> tuple[int, int]:
            from crm_tui.store.repo_claim_tasks import count_my_tasks

            return count_my_tasks(session, assignee, today)

        self.load_data(read, self._show_counts)

    def _show_counts(self, counts: tuple[int, int]) -> None:
        total, overdue = counts
        whose = (_("My tasks") if self.assignee == self.me
                 else _("Everyone's tasks") if self.assignee is None
                 else _("Tasks of {login}").format(login=safe_display(self.assignee)))
        self.query_one("#tasks-title", StatusLine).update(Text(
            _("{whose}: {total} open, {overdue} overdue").format(
                whose=whose, total=total, overdue=overdue)))

    def _load_users(self) -> None:
        def read(session: Session) -> list[tuple[str, str]]:
            from crm_tui.store.repo_claims import users

            return [(c.code, c.name) for c in users(session)]

        self.load_data(read, self._show_users)

    def _show_users(self, users: list[tuple[str, str]]) -> None:
        choice = self.query_one("#tasks-assignee", FilterChoice)
        choice.set_options([(Text(_("Everyone")), EVERYONE)]
                           + [(Text(safe_display(name)), login) for login, name in users])
        choice.value = self.assignee or EVERYONE

    # ----------------------------------------------------------------- actions
    def _highlighted(self) -> tuple[int, str] | None:
        row = self.query_one(VirtualList).highlighted_row
        if row is None:
            return None
        task_id, claim_key = str(row.key).split(" ", 1)
        return int(task_id), claim_key

    def action_open(self) -> None:
        chosen = self._highlighted()
        if chosen is not None:
            open_record(self, "claim", chosen[1])

    @on(VirtualList.Selected, "#tasks-list")
    def _selected(self, event: VirtualList.Selected) -> None:
        event.stop()
        self.action_open()

    def action_done(self) -> None:
        chosen = self._highlighted()
        if chosen is not None:
            self._mark_done(chosen[0])

    @work(thread=True, exclusive=True, group="tasks-done")
    def _mark_done(self, task_id: int) -> None:
        from crm_tui.store.repo_claim_tasks import set_task_done

        try:
            with self.db.write() as session:
                key = set_task_done(session, task_id, True)
        except DomainError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            self.app.call_from_thread(self._refresh, True)
            return
        self.app.call_from_thread(self._marked, key)

    def _marked(self, claim_key: str) -> None:
        self.notify(_("Task of claim {key} done").format(key=claim_key), markup=False)
        self._refresh(keep_cursor=True)

    def action_assignee(self) -> None:
        if not self.supervises:
            self.notify(_("only a supervisor can see other users' tasks"), severity="warning",
                        markup=False)
            return
        self.query_one("#tasks-assignee", FilterChoice).focus()

    @on(FilterChoice.Changed, "#tasks-assignee")
    def _assignee_changed(self, event: FilterChoice.Changed) -> None:
        value = event.value if isinstance(event.value, str) else self.me
        assignee = None if value == EVERYONE else value
        if assignee != self.assignee:
            self.assignee = assignee
            self._refresh()
            self.query_one(VirtualList).focus()

    def action_back(self) -> None:
        self.dismiss(None)
