"""The attachments pane of a claim: add a file (path input with completion), save a copy
into a chosen folder, open with the system viewer, remove. Files live in the database."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import DataTable, Input, Label, Static

from crm_tui.domain.claims import format_size
from crm_tui.domain.errors import DomainError
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import CrmModal, translate_bindings
from crm_tui.widgets.table_fill import fill_table

if TYPE_CHECKING:
    from crm_tui.store.attachments import AttachmentInfo
    from crm_tui.store.database import Database


def complete_path(value: str) -> str | None:
    """The first file-system entry that completes `value` (folders end with a slash)."""
    if not value:
        return None
    expanded = os.path.expanduser(value)
    folder, prefix = os.path.split(expanded)
    try:
        names = sorted(os.listdir(folder or "."))
    except OSError:
        return None
    for name in names:
        if name.startswith(prefix) and name != prefix and (prefix or not name.startswith(".")):
            full = os.path.join(folder, name)
            if os.path.isdir(full):
                full += os.sep
            if value.startswith("~"):
                full = "~" + full[len(os.path.expanduser("~")):]
            return full
    return None


class PathSuggester(Suggester):
    """Completes paths from the file system (listing runs off the event loop)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(complete_path, value)


class PathPrompt(CrmModal[str | None]):
    """Asks for a path (Tab or Right accepts the completion); dismisses with it or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Back"), id="path.cancel"),
    ]
    CSS_PATH = "claims.tcss"

    def __init__(self, title: str, value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield Input(self.value, suggester=PathSuggester(), id="path-input")
            yield Static(Text(_("Right arrow accepts the completion; Enter confirms"),
                              style="dim"), markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class ClaimFiles(Vertical):
    """The claim's attachments, worked on directly in the database."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,insert", "add", N_("Attach file"), id="claim.files.add"),
        Binding("s", "save_copy", N_("Save a copy"), id="claim.files.save"),
        Binding("o,enter", "open", N_("Open file"), id="claim.files.open"),
        Binding("delete", "remove", N_("Remove file"), id="claim.files.remove"),
    ]

    class Changed(Message):
        """Files were added or removed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.claim_key: str | None = None
        self.read_only = False
        self.files: list[AttachmentInfo] = []
        self.last_saved: Path | None = None

    def compose(self) -> ComposeResult:
        yield DataTable(id="files-table", cursor_type="row")

    @staticmethod
    def _labels() -> list[str]:
        return [_("File"), _("Size"), _("Type"), _("SHA-256")]

    def on_mount(self) -> None:
        fill_table(self.query_one(DataTable), self._labels(), [])
        self.border_title = _("Files")

    def show(self, claim_key: str | None, files: list[AttachmentInfo] | tuple[AttachmentInfo, ...],
             read_only: bool) -> None:
        """Show the attachments of the claim (None: not saved yet)."""
        self.claim_key = claim_key
        self.read_only = read_only
        self.files = list(files)
        table = self.query_one(DataTable)
        keep = table.cursor_row
        fill_table(table, self._labels(), [
            (Text(safe_display(info.name)), Text(format_size(info.size)),
             Text(safe_display(info.mime)), Text(info.sha256[:12]))
            for info in self.files])
        if self.files:
            table.move_cursor(row=min(keep, len(self.files) - 1))
        self.border_title = _("Files: {count}").format(count=len(self.files))

    @property
    def db(self) -> Database:
        database = getattr(self.app, "db", None)
        assert database is not None
        return database

    def _error(self, message: str) -> None:
        self.app.notify(message, severity="error", markup=False)

    def _selected(self) -> AttachmentInfo | None:
        if not self.files:
            return None
        return self.files[self.query_one(DataTable).cursor_row]

    def _can_change(self) -> bool:
        if self.claim_key is None:
            self._error(_("save the claim before attaching files"))
            return False
        if self.read_only:
            self._error(_("the claim is posted and read-only; un-post it to change it"))
            return False
        return True

    # -------------------------------------------------------------- actions
    def action_add(self) -> None:
        if self._can_change():
            self.app.push_screen(PathPrompt(_("File to attach"), str(Path.home()) + os.sep),
                                 self._attach_path)

    def _attach_path(self, path: str | None) -> None:
        if path and self.claim_key:
            self.attach(self.claim_key, path)

    @work(thread=True, exclusive=True, group="claim-files")
    def attach(self, claim_key: str, path: str) -> None:
        """Read the file (size checked first) and store it with the claim."""
        from crm_tui.store import attachments

        try:
            with self.db.read() as session:
                limit = attachments.limit_mb(session)
            name, content = attachments.read_source_file(path, limit)
            with self.db.write() as session:
                info = attachments.add_attachment(session, claim_key, name, content)
        except DomainError as error:
            self.app.call_from_thread(self._error, str(error))
            return
        self.app.call_from_thread(self._attached, info)

    def _attached(self, info: AttachmentInfo) -> None:
        self.app.notify(_("Attached: {name}").format(name=safe_display(info.name)), markup=False)
        self.post_message(self.Changed())

    def action_save_copy(self) -> None:
        info = self._selected()
        if info is not None:
            self.app.push_screen(PathPrompt(_("Folder to save a copy in"), str(Path.cwd())),
                                 lambda folder: self._save_to(info, folder))

    def _save_to(self, info: AttachmentInfo, folder: str | None) -> None:
        if folder:
            self.save_copy(info.id, folder)

    @work(thread=True, exclusive=True, group="claim-files")
    def save_copy(self, attachment_id: int, folder: str) -> None:
        """Write a copy into `folder` (the name can never leave it)."""
        from crm_tui.store import attachments

        try:
            with self.db.read() as session:
                name, content = attachments.attachment_content(session, attachment_id)
            path = attachments.save_copy(folder, name, content)
        except DomainError as error:
            self.app.call_from_thread(self._error, str(error))
            return
        self.app.call_from_thread(self._saved, path)

    def _saved(self, path: Path) -> None:
        self.last_saved = path
        self.app.notify(_("Saved: {path}").format(path=safe_display(str(path))), markup=False)

    def action_open(self) -> None:
        info = self._selected()
        if info is not None:
            self.open_file(info.id)

    @work(thread=True, exclusive=True, group="claim-files")
    def open_file(self, attachment_id: int) -> None:
        """Hand a temporary copy to the system viewer, or say there is none."""
        from crm_tui.store import attachments

        try:
            with self.db.read() as session:
                name, content = attachments.attachment_content(session, attachment_id)
            attachments.open_with_viewer(name, content)
        except DomainError as error:
            self.app.call_from_thread(self._error, str(error))
            return
        self.app.call_from_thread(
            self.app.notify, _("Opened with the system viewer"), markup=False)

    def action_remove(self) -> None:
        info = self._selected()
        if info is not None and self._can_change() and self.claim_key:
            self.remove_file(self.claim_key, info.id)

    @work(thread=True, exclusive=True, group="claim-files")
    def remove_file(self, claim_key: str, attachment_id: int) -> None:
        from crm_tui.store import attachments

        try:
            with self.db.write() as session:
                attachments.delete_attachment(session, claim_key, attachment_id)
        except DomainError as error:
            self.app.call_from_thread(self._error, str(error))
            return
        self.app.call_from_thread(self.post_message, self.Changed())
