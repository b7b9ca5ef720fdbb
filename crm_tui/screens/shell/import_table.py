"""Importing partners, contacts or deals from a spreadsheet: the file's columns with the
field each fills (changed from the keyboard), and a preview of the first rows as they will
be stored, each row's problems beside it, before anything is written. A row matching an
existing record takes the choice made for the file (update, skip, create) unless one is
made for that row. The reading, checking and writing are `exchange.table_import`'s, the
same as `crm import-table`; they run in thread workers."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, ProgressBar

from crm_tui.domain.errors import DomainError
from crm_tui.domain.formatting import show_count
from crm_tui.domain.table_mapping import FIELDS, TARGETS, missing_required, spec
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import CrmScreen
from crm_tui.screens.shell.import_dialogs import NOT_IMPORTED, ChoiceDialog, NameDialog
from crm_tui.widgets.key_bar import KeyBar
from crm_tui.widgets.status_line import StatusLine

PREVIEW_ROWS = 1000  # rows checked for the preview; the import checks them all again
SHOWN_ROWS = 200
TARGET_LABELS = {"partners": N_("Partners"), "contacts": N_("Contacts"), "deals": N_("Deals")}
CHOICE_LABELS = {"update": N_("update"), "skip": N_("skip"), "create": N_("create")}
ACTION_LABELS = {"created": N_("new"), "updated": N_("update"), "unchanged": N_("unchanged"),
                 "skipped": N_("skip"), "": N_("problem")}


@dataclass(frozen=True)
class Analysis:
    """What a worker found: the file's columns, their mapping, a sample row, the dry run."""

    table: Any  # exchange.table_file.TableFile
    mapping: list[str | None]
    sample: list[str]
    summary: Any  # exchange.table_import.ImportSummary
    more_rows: bool


class ImportTableScreen(CrmScreen[bool]):
    """Dismisses with True when something was imported."""

    CSS_PATH = "shell.tcss"
    AUTO_FOCUS = "#import-path"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="import.back"),
        Binding("ctrl+s", "import", N_("Import"), id="import.run", priority=True),
        Binding("ctrl+t", "cycle_target", N_("What"), id="import.target"),
        Binding("ctrl+r", "cycle_choice", N_("Duplicates"), id="import.duplicates"),
        Binding("f5", "save_mapping", N_("Save mapping"), id="import.save"),
        Binding("ctrl+l", "load_mapping", N_("Saved mapping"), id="import.load"),
        Binding("u", "row_choice('update')", N_("Update"), id="import.row_update"),
        Binding("s", "row_choice('skip')", N_("Skip"), id="import.row_skip"),
        Binding("c", "row_choice('create')", N_("Create"), id="import.row_create"),
    ]

    def __init__(self, target: str = "partners", path: str = "") -> None:
        super().__init__()
        self.target = target
        self.initial_path = path
        self.on_duplicate = "update"
        self.choices: dict[int, str] = {}
        self.analysis: Analysis | None = None
        self.mapping: list[str | None] | None = None  # the user's, once changed
        self.imported = False

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box") as box:
            box.border_title = _("Import from a spreadsheet")
            with Horizontal(id="import-file"):
                yield Input(self.initial_path, placeholder=_("File: CSV or XLSX, Enter opens"),
                            id="import-path")
                yield Input(placeholder=_("Sheet (xlsx)"), id="import-sheet")
            yield StatusLine("", id="import-what")
            yield Label(_("Columns (Enter changes the field)"))
            mapping: DataTable[Text] = DataTable(id="import-mapping", cursor_type="row",
                                                 zebra_stripes=True)
            mapping.add_columns(_("Column"), _("Field"), _("First row"))
            yield mapping
            yield Label(_("Preview (u, s, c: what to do with a row already there)"))
            preview: DataTable[Text] = DataTable(id="import-preview", cursor_type="row",
                                                 zebra_stripes=True)
            preview.add_columns(_("Line"), _("Action"), _("Problems and notes"),
                                _("As it will be stored"))
            yield preview
            yield ProgressBar(id="import-progress", show_eta=False)
            yield StatusLine("", id="import-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        self._show_what()
        if self.initial_path:
            self._analyse()

    # -- what, file, choices ---------------------------------------------------------------
    def _show_what(self) -> None:
        self.query_one("#import-what", StatusLine).update(
            _("Import: {what} · rows already there: {choice}").format(
                what=_(TARGET_LABELS[self.target]), choice=_(CHOICE_LABELS[self.on_duplicate])))

    def action_cycle_target(self) -> None:
        self.target = TARGETS[(TARGETS.index(self.target) + 1) % len(TARGETS)]
        self.mapping, self.choices = None, {}
        self._show_what()
        self._analyse()

    def action_cycle_choice(self) -> None:
        order = list(CHOICE_LABELS)
        self.on_duplicate = order[(order.index(self.on_duplicate) + 1) % len(order)]
        self._show_what()
        self._analyse()

    def action_row_choice(self, choice: str) -> None:
        preview = self.query_one("#import-preview", DataTable)
        if self.focused is not preview or self.analysis is None or not preview.row_count:
            return
        row = self.analysis.summary.rows[preview.cursor_row]
        if not row.duplicate:
            self.notify(_("This row is new: nothing to choose"), markup=False)
            return
        self.choices[row.line] = choice
        self._analyse()

    @on(Input.Submitted)
    def _file_chosen(self, event: Input.Submitted) -> None:
        event.stop()
        self.mapping, self.choices = None, {}
        self._analyse()

    # -- reading and checking the file (a worker) ------------------------------------------
    def _analyse(self) -> None:
        path = self.query_one("#import-path", Input).value.strip()
        if not path:
            return
        sheet = self.query_one("#import-sheet", Input).value.strip() or None
        self._status(_("Reading {path}…").format(path=path))
        self._read(path, sheet, self.target, self.mapping, self.on_duplicate, dict(self.choices))

    @work(thread=True, exclusive=True, group="import-read")
    def _read(self, path: str, sheet: str | None, target: str, mapping: list[str | None] | None,
              on_duplicate: str, choices: dict[int, str]) -> None:
        from crm_tui.domain.table_mapping import auto_map
        from crm_tui.exchange.table_file import open_table
        from crm_tui.exchange.table_import import run_import

        try:
            table = open_table(path, target, sheet)
            if mapping is None or len(mapping) != len(table.headers):
                mapping = auto_map(target, table.headers)
            rows = list(islice(table.rows(), PREVIEW_ROWS + 1))
            summary = run_import(self.db, target, mapping, rows[:PREVIEW_ROWS],
                                 on_duplicate=on_duplicate, choices=choices, dry_run=True,
                                 keep_rows=SHOWN_ROWS)
        except DomainError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        sample = rows[0][1] if rows else []
        self.app.call_from_thread(self._show, Analysis(
            table, list(mapping), sample, summary, len(rows) > PREVIEW_ROWS))

    def _failed(self, message: str) -> None:
        self.analysis = None
        self.query_one("#import-mapping", DataTable).clear()
        self.query_one("#import-preview", DataTable).clear()
        self._status(message, error=True)

    def _show(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.mapping = analysis.mapping
        columns = self.query_one("#import-mapping", DataTable)
        row_at = columns.cursor_row
        columns.clear()
        for index, header in enumerate(analysis.table.headers):
            field = analysis.mapping[index]
            label = _(spec(self.target, field).label) if field else _("— not imported —")
            value = analysis.sample[index] if index < len(analysis.sample) else ""
            columns.add_row(Text(safe_display(header)), Text(label, style="" if field else "dim"),
                            Text(safe_display(value)[:40]))
        if columns.row_count:
            columns.move_cursor(row=min(row_at, columns.row_count - 1))
        self._show_preview(analysis)

    def _show_preview(self, analysis: Analysis) -> None:
        preview = self.query_one("#import-preview", DataTable)
        row_at = preview.cursor_row
        preview.clear()
        for row in analysis.summary.rows:
            action = _(ACTION_LABELS[row.action])
            if row.duplicate:
                action = f"{action} ({row.duplicate})"
            shown = "; ".join(f"{_(spec(self.target, k).label)}: {v}" for k, v in row.shown.items()
                              if k in {s.name for s in FIELDS[self.target]})
            remarks = "; ".join(row.problems + row.notes)
            preview.add_row(Text(str(row.line)), Text(safe_display(action)),
                            Text(safe_display(remarks), style="bold red" if row.problems else ""),
                            Text(safe_display(shown)))
        if preview.row_count:
            preview.move_cursor(row=min(row_at, preview.row_count - 1))
        self._status(self._describe(analysis), error=bool(analysis.summary.problem_count
                                                          or self._missing()))

    def _missing(self) -> list[str]:
        return missing_required(self.target, self.mapping or [])

    def _describe(self, analysis: Analysis) -> str:
        from crm_tui.exchange.table_import import describe

        if self._missing():
            return _("No column for: {fields}").format(fields=", ".join(
                _(spec(self.target, m).label) for m in self._missing()))
        text = describe(analysis.summary)
        if analysis.summary.problem_count:
            text = _("Problems: {count} (fix the file) · {counts}").format(
                count=analysis.summary.problem_count, counts=text)
        if analysis.more_rows:
            text = _("First {rows} rows: {counts}").format(rows=PREVIEW_ROWS, counts=text)
        return text

    def _status(self, text: str, error: bool = False) -> None:
        self.query_one("#import-status", StatusLine).update(
            Text(text, style="bold red" if error else ""))

    # -- the mapping -----------------------------------------------------------------------
    @on(DataTable.RowSelected, "#import-mapping")
    def _change_field(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.analysis is None or self.mapping is None:
            return
        index = event.cursor_row
        options = [(NOT_IMPORTED, _("— not imported —"))] + [
            (s.name, _(s.label)) for s in FIELDS[self.target]]
        header = self.analysis.table.headers[index]

        def chosen(value: str | None) -> None:
            if value is None or self.mapping is None:
                return
            field = None if value == NOT_IMPORTED else value
            if field:  # a field fills one column: the column that had it lets it go
                self.mapping = [None if m == field else m for m in self.mapping]
            self.mapping[index] = field
            self._analyse()

        self.app.push_screen(ChoiceDialog(_("Field for the column «{header}»").format(
            header=safe_display(header)), options, self.mapping[index] or NOT_IMPORTED), chosen)

    def action_save_mapping(self) -> None:
        if self.analysis is None or self.mapping is None:
            return
        headers, mapping, target = self.analysis.table.headers, list(self.mapping), self.target

        def named(name: str | None) -> None:
            if name:
                self._save(target, name, headers, mapping)

        self.app.push_screen(NameDialog(), named)

    @work(thread=True, group="import-save")
    def _save(self, target: str, name: str, headers: Any, mapping: list[str | None]) -> None:
        from crm_tui.exchange.table_mappings import save_mapping

        try:
            save_mapping(target, name, headers, mapping)
        except (DomainError, OSError) as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, _("Mapping saved: {name}").format(name=name),
                                  markup=False)

    def action_load_mapping(self) -> None:
        if self.analysis is None:
            return
        self._saved_names(self.target)

    @work(thread=True, group="import-save")
    def _saved_names(self, target: str) -> None:
        from crm_tui.exchange.table_mappings import saved_names

        try:
            names = saved_names(target)
        except DomainError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        self.app.call_from_thread(self._choose_saved, names)

    def _choose_saved(self, names: list[str]) -> None:
        if not names:
            self.notify(_("No saved mappings yet (F5 saves one)"), markup=False)
            return
        self.app.push_screen(ChoiceDialog(_("Saved mappings"), [(n, n) for n in names]),
                             self._use_saved)

    def _use_saved(self, name: str | None) -> None:
        if name and self.analysis is not None:
            self._apply_saved(self.target, name, self.analysis.table.headers)

    @work(thread=True, group="import-save")
    def _apply_saved(self, target: str, name: str, headers: Any) -> None:
        from crm_tui.exchange.table_mappings import load_mapping

        try:
            mapping = load_mapping(target, name, headers)
        except DomainError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return

        def use() -> None:
            self.mapping = mapping
            self._analyse()

        self.app.call_from_thread(use)

    # -- importing -------------------------------------------------------------------------
    def action_import(self) -> None:
        if self.analysis is None or self.mapping is None:
            self._status(_("Open a file first (type its path, Enter)"), error=True)
            return
        if self._missing():
            self._status(self._describe(self.analysis), error=True)
            return
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self._status(_("Importing…"))
        self._write(self.analysis.table, self.target, list(self.mapping), self.on_duplicate,
                    dict(self.choices))

    @work(thread=True, exclusive=True, group="import-write")
    def _write(self, table: Any, target: str, mapping: list[str | None], on_duplicate: str,
               choices: dict[int, str]) -> None:
        from crm_tui.exchange.table_import import run_import

        try:
            total = table.count()  # a pass over the file: the bar's end
            self.app.call_from_thread(self._progress, 0, total)

            def progress(done: int) -> None:  # after each chunk of rows
                self.app.call_from_thread(self._progress, done, total)

            summary = run_import(self.db, target, mapping, table.rows(), on_duplicate=on_duplicate,
                                 choices=choices, progress=progress, keep_rows=SHOWN_ROWS)
        except DomainError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self._written, summary)

    def _progress(self, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)
        self._status(_("Importing: {done} of {total} rows").format(
            done=show_count(done), total=show_count(total)))

    def _written(self, summary: Any) -> None:
        from crm_tui.exchange.table_import import describe

        self.query_one(ProgressBar).display = False
        if not summary.written:
            assert self.analysis is not None
            self._show_preview(Analysis(self.analysis.table, self.analysis.mapping,
                                        self.analysis.sample, summary, False))
            self._status(_("Nothing imported; problems: {count}, shown beside their rows").format(
                count=summary.problem_count), error=True)
            return
        self.imported = True
        self.notify(_("Imported: {counts}").format(counts=describe(summary)), markup=False)
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(self.imported)
