"""The Settings section: settings saved in the database (claims switch,
organizer defaults, currency, attachment limit, autofill, SMTP), one per line in their
groups. Everyone reads them; an administrator changes the highlighted one with Enter, and
it is saved at once for everyone. F3 opens the classifier editors.

One list instead of a form: a form of 15 labelled fields (about 36 widgets) took up to
240 ms to open; a list and an editor built only when asked open in one frame."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.i18n import N_, _
from crm_tui.screens.settings.rows import (
    CHOICE_LABELS,
    GROUPS,
    ROWS,
    SettingRow,
    change_for,
    current,
    editable_text,
    shown,
)
from crm_tui.screens.settings.setting_dialog import SettingDialog
from crm_tui.screens.shell.base import SectionScreen
from crm_tui.tui_compat import SteadyOptionList
from crm_tui.widgets.filter_choice import ChoiceMenu

if TYPE_CHECKING:
    from sqlmodel import Session


def _with_own(values: dict[str, Any]) -> dict[str, Any]:
    """The database's settings and the user's own (secrets only as set or not); a damaged
    credentials file leaves the user's rows unset (saving one says why)."""
    from crm_tui.credentials import CredentialsError, display_values

    try:
        return {**values, **display_values()}
    except CredentialsError:
        return dict(values)


def read_settings(session: Session) -> tuple[dict[str, Any], bool]:
    """What the section shows: every setting with the user's own, and whether the user is an
    administrator (the app's warm-up reads the same, so that opening redraws no row)."""
    from crm_tui.store.settings import all_settings, is_admin

    return _with_own(all_settings(session)), is_admin(session)


class SettingsScreen(SectionScreen):
    """Settings: read by everyone, changed one at a time by an administrator."""

    SECTION = "settings"
    AUTO_FOCUS = "#settings-list"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the list would take Enter for itself and hide the key from the key bar.
        Binding("enter", "edit", N_("Change"), id="settings.edit", priority=True),
        Binding("f3", "classifiers", N_("Classifiers"), id="settings.classifiers"),
        Binding("ctrl+r", "reload", N_("Reload"), id="settings.reload"),
    ]
    CSS_PATH = "settings.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, Any] = {}
        self.admin = False
        self.loaded = False

    def compose_body(self) -> ComposeResult:
        # Composed with the values last read (the app reads them in the background after
        # start), so that opening is one frame; they are read again on opening.
        snapshot = self.crm.settings_snapshot
        if snapshot:
            self.values, self.admin = dict(snapshot[0]), snapshot[1]
        yield Static(Text(self._note() if snapshot else _("Loading…")), id="settings-note",
                     markup=False)
        options: list[Option] = []
        for number, (title, rows) in enumerate(GROUPS):
            options.append(Option(Text(_(title), style="bold"), id=f"group-{number}",
                                  disabled=True))
            options.extend(Option(self._prompt(row), id=row.key) for row in rows)
        yield SteadyOptionList(*options, id="settings-list", markup=False)
        yield Static(Text(""), id="settings-error", markup=False)

    def _note(self) -> str:
        return (_("Enter changes the highlighted setting: the office's for everyone using this "
                  "database, yours only for you. F3: classifiers.") if self.admin else
                _("Only an administrator can change the office's settings; you can read them. "
                  "Your own mail accounts and keys you change yourself."))

    def _prompt(self, row: SettingRow) -> Text:
        width = max(len(_(other.label)) for other in ROWS.values())
        text = Text(f"  {_(row.label):<{width}}  ", no_wrap=True, overflow="ellipsis")
        text.append(shown(row, self.values) if self.values else "…", style="bold")
        return text

    def on_mount(self) -> None:
        # (SectionScreen.on_mount runs too: Textual calls the handler of every class.)
        menu = self.query_one("#settings-list", OptionList)
        menu.highlighted = menu.get_option_index(GROUPS[0][1][0].key)

    # ------------------------------------------------------------- loading
    def on_database_ready(self) -> None:
        self.load()

    def on_data_changed(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    def load(self) -> None:
        self.load_data(read_settings, self._loaded)

    def _loaded(self, loaded: tuple[dict[str, Any], bool]) -> None:
        self._show(*loaded)

    def _show(self, values: dict[str, Any], admin: bool) -> None:
        """Show what was read; only rows whose text differs are redrawn."""
        before = {key: shown(row, self.values) for key, row in ROWS.items()} if self.values \
            else {}
        self.values, self.admin, self.loaded = values, admin, True
        self.crm.settings_snapshot = (values, admin)
        menu = self.query_one("#settings-list", OptionList)
        for key, row in ROWS.items():
            if before.get(key) != shown(row, values):
                menu.replace_option_prompt(key, self._prompt(row))
        note = self.query_one("#settings-note", Static)
        if str(note.render()) != self._note():
            note.update(Text(self._note()))

    # ------------------------------------------------------------- changing
    def highlighted_row(self) -> SettingRow | None:
        menu = self.query_one("#settings-list", OptionList)
        if menu.highlighted is None:
            return None
        return ROWS.get(menu.get_option_at_index(menu.highlighted).id or "")

    @on(OptionList.OptionSelected, "#settings-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        """Change the highlighted setting: a switch flips, a choice opens its menu, text and
        numbers open an editor."""
        row = self.highlighted_row()
        if row is None or not self.loaded:
            return
        if not self.admin and row.scope == "office":
            self.notify(_("Only an administrator can change settings"), severity="error",
                        markup=False)
            return
        if row.kind == "switch":
            self.save({row.key: not current(row, self.values)})
        elif row.kind == "choice":
            from crm_tui.credentials import SECURITY_CHOICES
            from crm_tui.store.settings import CHOICES

            def chosen(value: Any) -> None:
                if value is not None:
                    self.save({row.key: value})

            values = SECURITY_CHOICES if row.scope == "user" else CHOICES[row.key]
            options = [(Text(_(CHOICE_LABELS[value])), value) for value in values]
            self.app.push_screen(ChoiceMenu(_(row.label), options, current(row, self.values)),
                                 chosen)
        else:
            self.app.push_screen(SettingDialog(
                _(row.label), editable_text(row, self.values),
                lambda dialog, text: self._typed(row, dialog, text),
                number=row.kind == "number", secret=row.kind == "secret",
                hint=_("Enter saves it for you only, on this computer account; Esc cancels")
                if row.scope == "user" else None))

    def _typed(self, row: SettingRow, dialog: SettingDialog, text: str) -> None:
        try:
            changes = change_for(row, text, self.values)
        except ValidationError as error:
            dialog.show_error(str(error))
            return
        self.save(changes, dialog)

    @work(thread=True, exclusive=True, group="settings-save")
    def save(self, changes: dict[str, Any], dialog: SettingDialog | None = None) -> None:
        from crm_tui.store.settings import all_settings, save_settings

        own = {key: value for key, value in changes.items()
               if key in ROWS and ROWS[key].scope == "user"}
        try:
            if own:  # the user's own: their credentials, never the shared database
                from crm_tui.credentials import save as save_own

                save_own(own)
                changed = own
                with self.db.read() as session:
                    values = all_settings(session)
            else:
                with self.db.write() as session:
                    changed = save_settings(session, changes)
                    values = all_settings(session)
            values = _with_own(values)
        except DomainError as error:
            self.app.call_from_thread(self._error, str(error), dialog)
            return
        self.app.call_from_thread(self._saved, changed, values, dialog)

    def _error(self, message: str, dialog: SettingDialog | None) -> None:
        if dialog is not None and dialog.is_attached:
            dialog.show_error(message)
            return
        self.query_one("#settings-error", Static).update(Text(message))
        self.notify(message, severity="error", markup=False)

    def _saved(self, changed: dict[str, Any], values: dict[str, Any],
               dialog: SettingDialog | None) -> None:
        if dialog is not None and dialog.is_attached:
            dialog.dismiss(None)
        self.query_one("#settings-error", Static).update(Text(""))
        self._show(values, self.admin)
        message = (_("Settings saved: {count} changed").format(count=len(changed)) if changed
                   else _("Nothing changed"))
        self.notify(message, markup=False)

    def action_classifiers(self) -> None:
        from crm_tui.screens.settings.classifiers import ClassifiersScreen

        self.app.push_screen(ClassifiersScreen())
