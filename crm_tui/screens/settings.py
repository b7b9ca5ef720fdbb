"""The Settings section: settings saved in the database (claims switch, settlement basis,
organizer defaults, currency, autofill, SMTP). Everyone reads them; only an administrator
saves. F3 opens the classifier editors."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Static, Switch

from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.i18n import N_, _
from crm_tui.screens.base import SectionScreen
from crm_tui.widgets.filter_choice import FilterChoice

CHOICE_LABELS: dict[str, str] = {
    "agreements": N_("By agreements"),
    "contracts": N_("By contracts"),
    "offline": N_("Offline registry file"),
    "dadata": N_("DaData (token)"),
    "starttls": N_("STARTTLS"),
    "ssl": N_("SSL/TLS"),
    "none": N_("No encryption"),
}
# Input fields: (setting key, label, is a whole number, is secret).
INPUTS: tuple[tuple[str, str, bool, bool], ...] = (
    ("currency", N_("Company currency (ISO code)"), False, False),
    ("default_snooze_minutes", N_("Default snooze, minutes"), True, False),
    ("work_start", N_("Working day starts at (hour)"), True, False),
    ("work_end", N_("Working day ends at (hour)"), True, False),
    ("autofill_registry_path", N_("Offline registry file"), False, False),
    ("dadata_token", N_("DaData token"), False, True),
    ("smtp_host", N_("SMTP host"), False, False),
    ("smtp_port", N_("SMTP port"), True, False),
    ("smtp_login", N_("SMTP login"), False, False),
    ("smtp_password", N_("SMTP password"), False, True),
    ("smtp_from", N_("Sender address"), False, False),
)
SELECTS: tuple[tuple[str, str], ...] = (
    ("settlement_basis", N_("Settlement basis")),
    ("autofill_provider", N_("Autofill provider")),
    ("smtp_security", N_("SMTP security")),
)
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("Claims and settlements"), ("claims_enabled", "settlement_basis", "currency")),
    (N_("Organizer"), ("default_snooze_minutes", "work_start", "work_end")),
    (N_("Autofill of partner details"),
     ("autofill_provider", "autofill_registry_path", "dadata_token")),
    (N_("E-mail (SMTP)"), ("smtp_host", "smtp_port", "smtp_security", "smtp_login",
                           "smtp_password", "smtp_from")),
)


class SettingsScreen(SectionScreen):
    """Settings: read by everyone, saved by an administrator."""

    SECTION = "settings"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save settings"), id="settings.save", priority=True),
        Binding("f3", "classifiers", N_("Classifiers"), id="settings.classifiers"),
        Binding("ctrl+r", "reload", N_("Reload"), id="settings.reload"),
    ]
    DEFAULT_CSS = """
    SettingsScreen #settings-body { padding: 0 2; }
    SettingsScreen .settings-group { layout: grid; grid-size: 2; grid-columns: 32 1fr;
                                     grid-rows: 3; height: auto; border: round $primary;
                                     padding: 0 1; margin-bottom: 1; }
    SettingsScreen .settings-group > Label { padding-top: 1; }
    SettingsScreen #settings-note { color: $warning; padding: 0 1; height: auto; }
    SettingsScreen #settings-error { color: $error; padding: 0 1; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, Any] = {}
        self.admin = False

    def _note(self, admin: bool) -> str:
        return (_("Ctrl+S saves the settings for everyone using this database. "
                  "F3: classifiers.") if admin else
                _("Only an administrator can change settings; you can read them."))

    def compose_body(self) -> ComposeResult:
        # Composed with the values last read (the app reads them in the background after
        # start), so that opening is one frame; they are read again on opening.
        snapshot = self.crm.settings_snapshot
        self._composed: dict[str, Any] = _shown(snapshot[0]) if snapshot else {}
        editable = snapshot[1] if snapshot else self.crm.user_role == "admin"
        yield Static(Text(self._note(snapshot[1]) if snapshot else _("Loading…")),
                     id="settings-note", markup=False)
        # Disabled as a whole (one restyle) until an administrator is known, not field by
        # field: each field's own switch restyled its subtree, ~15 times on opening.
        # Not focusable itself: the first field gets the focus directly (a focus change
        # restyles the focused widget's whole subtree).
        with VerticalScroll(id="settings-body", disabled=not editable, can_focus=False):
            labels = {key: label for key, label, _number, _secret in INPUTS}
            labels.update(dict(SELECTS))
            for title, keys in GROUPS:
                with Vertical(classes="settings-group") as group:
                    group.border_title = _(title)
                    for key in keys:  # label and field side by side in the group's grid
                        yield from self._field(key, labels)
            yield Static(Text(""), id="settings-error", markup=False)

    def _field(self, key: str, labels: dict[str, str]) -> ComposeResult:
        if key == "claims_enabled":
            yield Label(_("Record customer claims"))
            # No slide animation: showing the loaded value would animate for 0.3 s.
            yield Switch(bool(self._composed.get("claims_enabled", False)),
                         id="claims_enabled", animate=False)
            return
        yield Label(_(labels[key]))
        if key in dict(SELECTS):
            from crm_tui.store.settings import CHOICES

            yield FilterChoice([(Text(_(CHOICE_LABELS[v])), v) for v in CHOICES[key]],
                               prompt=_(labels[key]), allow_blank=False, id=key,
                               value=self._composed.get(key, FilterChoice.NULL))
            return
        secret = next(s for k, _label, _n, s in INPUTS if k == key)
        number = next(n for k, _label, n, _s in INPUTS if k == key)
        yield Input(str(self._composed.get(key, "")), id=key, password=secret,
                    restrict=r"[0-9]*" if number else None)

    # ------------------------------------------------------------- loading
    def on_database_ready(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="settings-load")
    def load(self) -> None:
        from crm_tui.store.settings import all_settings, is_admin

        with self.db.read() as session:
            values, admin = all_settings(session), is_admin(session)
        self.app.call_from_thread(self._show, values, admin)

    def _show(self, values: dict[str, Any], admin: bool) -> None:
        """Show what was read; only the fields that differ change (each change costs a
        layout of the form)."""
        self.values, self.admin = values, admin
        self.crm.settings_snapshot = (values, admin)
        switch = self.query_one("#claims_enabled", Switch)
        if switch.value != bool(values["claims_enabled"]):
            switch.value = bool(values["claims_enabled"])
        for key, _label in SELECTS:
            self.query_one(f"#{key}", FilterChoice).value = values[key]
        shown = _shown(values)
        for key, _label, _number, _secret in INPUTS:
            field = self.query_one(f"#{key}", Input)
            if field.value != str(shown[key]):
                field.value = str(shown[key])
        body = self.query_one("#settings-body", VerticalScroll)
        if body.disabled == admin:
            body.disabled = not admin
        note = self.query_one("#settings-note", Static)
        if str(note.render()) != self._note(admin):
            note.update(Text(self._note(admin)))
        if admin and self.focused is None:
            self.query_one("#claims_enabled", Switch).focus()

    # ------------------------------------------------------------- saving
    def collect(self) -> dict[str, Any]:
        """The values as typed (ValidationError on a number that is not one)."""
        changes: dict[str, Any] = {"claims_enabled": self.query_one("#claims_enabled",
                                                                   Switch).value}
        for key, _label in SELECTS:
            changes[key] = self.query_one(f"#{key}", FilterChoice).value
        typed: dict[str, Any] = {}
        for key, label, number, _secret in INPUTS:
            text = self.query_one(f"#{key}", Input).value
            if number:
                if not text.strip().isdigit():
                    raise ValidationError(_("{field}: enter a whole number").format(
                        field=_(label)), field=key)
                typed[key] = int(text)
            else:
                typed[key] = text
        changes["working_hours"] = [typed.pop("work_start"), typed.pop("work_end")]
        changes.update(typed)
        return changes

    def action_save(self) -> None:
        if not self.admin:
            self.notify(_("Only an administrator can change settings"), severity="error",
                        markup=False)
            return
        try:
            changes = self.collect()
        except ValidationError as error:
            self._error(str(error))
            return
        self.save(changes)

    @work(thread=True, exclusive=True, group="settings-save")
    def save(self, changes: dict[str, Any]) -> None:
        from crm_tui.store.settings import save_settings

        try:
            with self.db.write() as session:
                changed = save_settings(session, changes)
        except DomainError as error:
            self.app.call_from_thread(self._error, str(error))
            return
        self.app.call_from_thread(self._saved, changed)

    def _error(self, message: str) -> None:
        self.query_one("#settings-error", Static).update(Text(message))
        self.notify(message, severity="error", markup=False)

    def _saved(self, changed: dict[str, Any]) -> None:
        self.query_one("#settings-error", Static).update(Text(""))
        self.values.update(changed)
        message = (_("Settings saved: {count} changed").format(count=len(changed)) if changed
                   else _("Nothing changed"))
        self.notify(message, markup=False)

    def action_classifiers(self) -> None:
        from crm_tui.screens.classifiers import ClassifiersScreen

        self.app.push_screen(ClassifiersScreen())


def _shown(values: dict[str, Any]) -> dict[str, Any]:
    """The settings as the form's fields show them (working hours in two fields)."""
    hours = values.get("working_hours") or ["", ""]
    return dict(values, work_start=hours[0], work_end=hours[1])
