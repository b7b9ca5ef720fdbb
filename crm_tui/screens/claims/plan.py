"""The action plan editor of a claim: tasks with keys to add, edit in place, reorder, mark
done and delete; overdue tasks stand out and the title shows "done of total"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Select, Static

from crm_tui.domain import claims as rules
from crm_tui.domain import clock
from crm_tui.domain.claims import PlanTask
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.formatting import show_date
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import translate_bindings
from crm_tui.widgets.table_fill import fill_table


class ClaimPlan(Vertical):
    """Edits a list of PlanTask in memory; the claim form saves it with the claim."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,insert", "add", N_("Add task"), id="claim.plan.add"),
        Binding("e", "edit", N_("Edit task"), id="claim.plan.edit"),
        Binding("space,x", "toggle_done", N_("Mark done or not done"), id="claim.plan.done"),
        Binding("ctrl+up,left_square_bracket", "move(-1)", N_("Move up"), id="claim.plan.up"),
        Binding("ctrl+down,right_square_bracket", "move(1)", N_("Move down"),
                id="claim.plan.down"),
        Binding("delete", "delete", N_("Delete task"), id="claim.plan.delete"),
    ]

    class Changed(Message):
        """The plan was edited."""

        def __init__(self, plan: ClaimPlan) -> None:
            super().__init__()
            self.plan = plan

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.tasks: list[PlanTask] = []
        self.today = date.today()
        self.read_only = False
        self.assignees: list[tuple[str, str]] = []
        self.prefill: Callable[[], PlanTask] = lambda: PlanTask(name="")
        self._editing: int | None = None  # index being edited; len(tasks) = a new task

    def compose(self) -> ComposeResult:
        table: DataTable[Text] = DataTable(id="plan-table", cursor_type="row", zebra_stripes=True)
        yield table
        with Horizontal(id="plan-editor"):
            yield Input(placeholder=_("What to do"), id="plan-name")
            yield Input(placeholder=_("Due"), id="plan-due")
            yield Select[str]([], prompt=_("Assignee"), id="plan-assignee")
            yield Input(placeholder=_("Description"), id="plan-description")
        yield Static("", id="plan-error", markup=False)

    def on_mount(self) -> None:
        self._show_tasks()

    # ----------------------------------------------------------------- data
    def load(self, tasks: list[PlanTask] | tuple[PlanTask, ...], today: date,
             assignees: list[tuple[str, str]], read_only: bool) -> None:
        """Show `tasks` (a fresh copy), with the users that may be assigned."""
        self.tasks = list(tasks)
        self.today = today
        self.read_only = read_only
        self.assignees = assignees
        select = self.query_one("#plan-assignee", Select)
        select.set_options([(Text(safe_display(name)), login) for login, name in assignees])
        self._close_editor()
        self._show_tasks()

    def progress_text(self) -> str:
        done, total = rules.progress(self.tasks)
        return rules.format_progress(done, total)

    def _show_tasks(self, cursor: int | None = None) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row if cursor is None else cursor
        rows: list[list[Text]] = []
        for task in self.tasks:
            overdue = rules.is_overdue(task, self.today)
            style = "bold red" if overdue else ("dim" if task.done else "")
            due = show_date(task.due)
            if overdue:
                due += " !"
            description = task.description.replace("\n", " ")
            cells = ["✓" if task.done else "·", task.name, due, task.assignee or "", description]
            rows.append([Text(safe_display(cell), style=style) for cell in cells])
        fill_table(table, ["✓", _("Task"), _("Due"), _("Assignee"), _("Description")], rows)
        if self.tasks:
            table.move_cursor(row=max(0, min(keep, len(self.tasks) - 1)))
        self.border_title = _("Action plan: {progress}").format(progress=self.progress_text())

    def _changed(self, cursor: int | None = None) -> None:
        self._show_tasks(cursor)
        self.post_message(self.Changed(self))

    def _refuse_if_read_only(self) -> bool:
        if self.read_only:
            self.app.notify(_("the claim is posted and read-only; un-post it to change it"),
                            severity="warning", markup=False)
        return self.read_only

    @property
    def cursor(self) -> int:
        return self.query_one(DataTable).cursor_row

    # -------------------------------------------------------------- actions
    def action_add(self) -> None:
        """A new task pre-filled from the claim: the user only adds what to do."""
        if self._refuse_if_read_only():
            return
        self._open_editor(len(self.tasks), self.prefill())

    def action_edit(self) -> None:
        if self._refuse_if_read_only() or not self.tasks:
            return
        self._open_editor(self.cursor, self.tasks[self.cursor])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_toggle_done(self) -> None:
        if self._refuse_if_read_only() or not self.tasks:
            return
        index = self.cursor
        task = self.tasks[index]
        self.tasks[index] = rules.set_done(task, not task.done, clock.now())
        self._changed(index)

    def action_move(self, delta: int) -> None:
        if self._refuse_if_read_only() or not self.tasks:
            return
        self.tasks, index = rules.move(self.tasks, self.cursor, delta)
        self._changed(index)

    def action_delete(self) -> None:
        if self._refuse_if_read_only() or not self.tasks:
            return
        index = self.cursor
        del self.tasks[index]
        self._changed(index)

    # --------------------------------------------------------------- editor
    def _open_editor(self, index: int, task: PlanTask) -> None:
        self._editing = index
        self.query_one("#plan-name", Input).value = task.name
        self.query_one("#plan-due", Input).value = show_date(task.due)
        self.query_one("#plan-description", Input).value = task.description.replace("\n", " | ")
        select = self.query_one("#plan-assignee", Select)
        logins = {login for login, _name in self.assignees}
        if task.assignee in logins:
            select.value = task.assignee
        else:
            select.clear()
        self.query_one("#plan-error", Static).update("")
        self.add_class("-editing")
        self.query_one("#plan-name", Input).focus()

    def _close_editor(self) -> None:
        self._editing = None
        self.remove_class("-editing")
        self.query_one("#plan-error", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._editing is None:
            return
        event.stop()
        self.commit_editor()

    def commit_editor(self) -> bool:
        """Validate the editor's task and put it into the plan; False (with a message) if not."""
        if self._editing is None:
            return True
        try:
            try:
                due = rules.parse_day(self.query_one("#plan-due", Input).value, _("Due"))
            except ValidationError as error:
                raise ValidationError(str(error), field="due") from error
            assignee = self.query_one("#plan-assignee", Select).value
            task = rules.check_task(PlanTask(
                name=self.query_one("#plan-name", Input).value,
                description=self.query_one("#plan-description", Input).value.replace(" | ", "\n"),
                due=due,
                assignee=assignee if isinstance(assignee, str) else None,
                done=self.tasks[self._editing].done if self._editing < len(self.tasks) else False,
                done_at=(self.tasks[self._editing].done_at
                         if self._editing < len(self.tasks) else None),
            ), self.prefill().assignee)  # without an assignee: the claim's manager
        except DomainError as error:
            # The message under the editor, and the cursor in the field it is about.
            self.query_one("#plan-error", Static).update(Text(str(error)))
            field = error.field if isinstance(error, ValidationError) else None
            if field in ("name", "due", "description"):
                self.query_one(f"#plan-{field}", Input).focus()
            return False
        index = self._editing
        if index < len(self.tasks):
            self.tasks[index] = task
        else:
            self.tasks.append(task)
        self._close_editor()
        self._changed(index)
        self.query_one(DataTable).focus()
        return True

    @property
    def editing(self) -> bool:
        return self._editing is not None

    def cancel_editor(self) -> None:
        """Drop the editor's input (Esc while editing)."""
        self._close_editor()
        self.query_one(DataTable).focus()
