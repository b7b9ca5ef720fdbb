"""The classifier editors (CRM and marketing → settings and classifiers): every classifier
on the left, its values on the right. Add, rename, reorder, archive, delete (an unused value
only: the message says where a used one is used; archive it instead)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from crm_tui.domain.errors import DomainError
from crm_tui.i18n import N_, _
from crm_tui.screens.settings.classifier_dialogs import DealKindDialog, KindEdit, ValueDialog
from crm_tui.screens.shell.base import CrmScreen
from crm_tui.store.repo_classifiers import DEAL_KIND, EDITORS, control_label
from crm_tui.widgets.header import AppHeader
from crm_tui.widgets.key_bar import KeyBar
from crm_tui.widgets.table_fill import fill_table

if TYPE_CHECKING:
    from sqlmodel import Session

# A classifier's values as read: kind, (code, name, archived) rows, the stages (code, name)
# and, for deal kinds, code -> (name, stage control, stage codes).
Values = tuple[str, list[tuple[str, str, bool]], list[tuple[str, str]],
               dict[str, tuple[str, str, tuple[str, ...]]]]


class ClassifiersScreen(CrmScreen[None]):
    """Every classifier's editor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", N_("Add"), id="classifiers.add"),
        Binding("r", "rename", N_("Rename"), id="classifiers.rename"),
        Binding("e", "edit_kind", N_("Edit stages"), id="classifiers.edit_kind"),
        Binding("ctrl+up", "move(-1)", N_("Value up"), id="classifiers.up"),
        Binding("ctrl+down", "move(1)", N_("Value down"), id="classifiers.down"),
        Binding("x", "archive", N_("Archive / restore"), id="classifiers.archive"),
        Binding("delete", "delete", N_("Delete"), id="classifiers.delete"),
        Binding("escape", "back", N_("Back"), id="classifiers.back"),
    ]
    CSS_PATH = "settings.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.kind = EDITORS[0][0]
        self.rows: list[tuple[str, str, bool]] = []  # (code, name, archived)
        self.stage_names: list[tuple[str, str]] = []
        self.kind_stages: dict[str, tuple[str, str, tuple[str, ...]]] = {}

    def compose(self) -> ComposeResult:
        yield AppHeader(_("Classifiers"))
        with Horizontal(id="classifier-body"):
            yield OptionList(*[Option(Text(_(title)), id=kind) for kind, title in EDITORS],
                             id="classifier-kinds")
            table: DataTable[Text] = DataTable(id="classifier-values", cursor_type="row")
            yield table
        yield Static(Text(""), id="classifier-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#classifier-kinds", OptionList).highlighted = 0
        self.query_one("#classifier-values", DataTable).focus()
        self.load()

    # ----------------------------------------------------------- loading
    @on(OptionList.OptionHighlighted, "#classifier-kinds")
    def _kind_chosen(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.kind:
            self.kind = event.option.id
            self.load()

    def load(self, keep: str | None = None) -> None:
        kind = self.kind

        def read(session: Session) -> Values:
            from crm_tui.store.repo_classifiers import list_deal_kinds, list_values

            stages = [(v.code, v.name) for v in list_values(session, "stage") if not v.archived]
            if kind == DEAL_KIND:
                kinds = list_deal_kinds(session)
                rows = [(k.code, k.name, k.archived) for k in kinds]
                details = {k.code: (k.name, k.stage_control, k.stages) for k in kinds}
            else:
                rows = [(v.code, v.name, v.archived) for v in list_values(session, kind)]
                details = {}
            return kind, rows, stages, details

        self.load_data(read, partial(self._show, keep))

    def _show(self, keep: str | None, values: Values) -> None:
        kind, rows, stages, details = values
        if kind != self.kind:
            return
        table: DataTable[Text] = self.query_one("#classifier-values", DataTable)
        previous = self._current_code()
        self.rows, self.stage_names, self.kind_stages = rows, stages, details
        names = dict(stages)
        columns = [_("Code"), _("Name")]
        if kind == DEAL_KIND:
            columns += [_("Stage control"), _("Stages")]
        cells_of_rows: list[list[Text]] = []
        for code, name, archived in rows:
            cells = [Text(code), Text(name)]
            if kind == DEAL_KIND:
                _kind_name, control, kind_stages = details[code]
                cells += [Text(control_label(control)),
                          Text(" → ".join(names.get(s, s) for s in kind_stages))]
            cells.append(Text(_("archived") if archived else "", style="dim"))
            cells_of_rows.append(cells)
        fill_table(table, [*columns, _("State")], cells_of_rows,
                   keys=[code for code, _name, _archived in rows])
        wanted = keep or previous
        codes = [code for code, _name, _archived in rows]
        if wanted in codes:
            table.move_cursor(row=codes.index(wanted))
        self.query_one("#classifier-status", Static).update(Text(
            _("Values: {count}. A value in use cannot be deleted: archive it instead.").format(
                count=len(rows))))

    def _current_code(self) -> str | None:
        table = self.query_one("#classifier-values", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row][0]

    def _current(self) -> tuple[str, str, bool] | None:
        code = self._current_code()
        return next((row for row in self.rows if row[0] == code), None)

    # ----------------------------------------------------------- writing
    def _write(self, change: Callable[[Session], object], done: str,
               keep: str | None = None) -> None:
        """Run `change` in a write transaction in a worker; reload and tell the user."""

        def run() -> None:
            try:
                with self.db.write() as session:
                    change(session)
            except DomainError as error:
                self.app.call_from_thread(self.notify, str(error), severity="error",
                                          markup=False, timeout=10)
                self.app.call_from_thread(self.load, keep)
                return
            self.app.call_from_thread(self.notify, done, markup=False)
            self.app.call_from_thread(self.load, keep)

        self.run_worker(run, thread=True, group="classifiers-write", exclusive=True)

    def action_add(self) -> None:
        from crm_tui.store import repo_classifiers as repo

        if self.kind == DEAL_KIND:
            self.app.push_screen(DealKindDialog(_("New deal kind"), self.stage_names),
                                 self._kind_added)
            return
        kind = self.kind

        def added(result: tuple[str, str] | None) -> None:
            if result is not None:
                self._write(lambda s: repo.add_value(s, kind, *result),
                            _("Added {code}").format(code=result[0]), keep=result[0].strip())

        self.app.push_screen(ValueDialog(_("New value")), added)

    def _kind_added(self, edit: KindEdit | None) -> None:
        from crm_tui.store import repo_classifiers as repo

        if edit is not None:
            self._write(lambda s: repo.add_deal_kind(s, edit.code, edit.name, edit.control,
                                                     list(edit.stages)),
                        _("Added {code}").format(code=edit.code), keep=edit.code)

    def action_rename(self) -> None:
        from crm_tui.store import repo_classifiers as repo

        current = self._current()
        if current is None:
            return
        code, name, _archived = current
        kind = self.kind

        def renamed(result: tuple[str, str] | None) -> None:
            if result is not None:
                self._write(lambda s: repo.rename_value(s, kind, code, name, result[1]),
                            _("Renamed {code}").format(code=code), keep=code)

        self.app.push_screen(ValueDialog(_("Rename {code}").format(code=code), code, name),
                             renamed)

    def action_edit_kind(self) -> None:
        from crm_tui.store import repo_classifiers as repo

        current = self._current()
        if self.kind != DEAL_KIND or current is None:
            return
        code = current[0]
        name, control, stages = self.kind_stages[code]

        def edited(edit: KindEdit | None) -> None:
            if edit is not None:
                self._write(lambda s: repo.update_deal_kind(s, code, edit.name, edit.control,
                                                            list(edit.stages)),
                            _("Saved {code}").format(code=code), keep=code)

        self.app.push_screen(DealKindDialog(_("Deal kind {code}").format(code=code),
                                            self.stage_names, KindEdit(code, name, control,
                                                                       stages)), edited)

    def action_move(self, delta: int) -> None:
        from crm_tui.store import repo_classifiers as repo

        code, kind = self._current_code(), self.kind
        if code is not None:
            self._write(lambda s: repo.move_value(s, kind, code, delta),
                        _("Moved {code}").format(code=code), keep=code)

    def action_archive(self) -> None:
        from crm_tui.store import repo_classifiers as repo

        current, kind = self._current(), self.kind
        if current is None:
            return
        code, _name, archived = current
        message = (_("Restored {code}") if archived else _("Archived {code}")).format(code=code)
        self._write(lambda s: repo.set_archived(s, kind, code, not archived), message, keep=code)

    def action_delete(self) -> None:
        from crm_tui.store import repo_classifiers as repo

        code, kind = self._current_code(), self.kind
        if code is not None:
            self._write(lambda s: repo.delete_value(s, kind, code),
                        _("Deleted {code}").format(code=code))

    def action_back(self) -> None:
        self.dismiss(None)
