"""The App: one mode per section, global keys, the command palette, and the database,
which opens in a worker after the first frame so that start-up stays fast."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.signal import Signal

from crm_tui import tui_compat
from crm_tui.config import describe_url
from crm_tui.domain.identity import current_login
from crm_tui.i18n import N_, _, current_language, set_language
from crm_tui.palette import RecordCommands, ScreenCommands, SectionCommands
from crm_tui.screens.shell.base import translate_bindings
from crm_tui.sections import SECTIONS
from crm_tui.tui_compat_errors import ErrorBoundaryApp

if TYPE_CHECKING:
    from crm_tui.mail.poll import MailPoller
    from crm_tui.reminders import Due, Reminders
    from crm_tui.store.database import Database
    from crm_tui.store.watch import ChangeWatcher


WARM_STORE_MODULES = (
    "repo_agreements", "repo_claims", "repo_claims_list", "repo_deals", "repo_interactions",
    "repo_interactions_lists", "repo_partners_read", "repo_partners_write", "search_partners",
    "settings",
)

_PACKAGE = Path(__file__).parent


def _load_number_formats() -> None:
    """Format an amount and a date once, in the background: Babel reads the language's
    data on first use (~30 ms), which the deals board's first opening paid on the event
    loop."""
    from datetime import date
    from decimal import Decimal

    from crm_tui.domain.formatting import show_date, show_money

    try:
        show_money(Decimal(0))
        show_date(date.today())
    except Exception:  # formatted (and reported) where it is shown
        return


def _section_factory(module: str, class_name: str) -> Callable[[], Screen[Any]]:
    def make() -> Screen[Any]:
        screen_class = getattr(importlib.import_module(f"crm_tui.screens.{module}"), class_name)
        screen: Screen[Any] = screen_class()
        app = screen.app
        tui_compat.mark_styled(screen, app, first=not getattr(app, "styled", False))
        return screen

    return make


class CrmApp(ErrorBoundaryApp):
    """crm-tui."""

    TITLE = "crm-tui"
    # The first screen is the home section's own: no default screen is built first.
    DEFAULT_MODE = "home"
    # The home screen's stylesheet is read with the app's: a screen bringing a stylesheet
    # not yet read makes Textual parse every source again (all widgets' default CSS), which
    # cost the first frame ~10% of a bare app's start.
    # Absolute: a subclass defined elsewhere (tests) reads the same files.
    CSS_PATH: ClassVar = [_PACKAGE / "app.tcss", _PACKAGE / "screens" / "shell" / "home.tcss"]
    COMMANDS: ClassVar = App.COMMANDS | {SectionCommands, ScreenCommands, RecordCommands}
    # How often to look for new mail, in seconds; None: every 30 s, fetching when the
    # setting mail_fetch_minutes says (tests set a short period that also replaces it).
    mail_poll_s: float | None = None
    # True once the app has drawn its first frame, styled with its own CSS: sections made
    # from then on skip a second restyle (tui_compat.mark_styled).
    styled = False
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: F1 works in dialogs too (a modal screen cuts the app's other keys off).
        Binding("f1", "help", N_("Help"), id="app.help", priority=True),
        Binding("ctrl+q", "quit", N_("Quit"), id="app.quit", priority=True),
        Binding("f2", "switch_language", N_("Language"), id="app.language", show=False),
        Binding("ctrl+x", "export_list", N_("Export the list"), id="app.export_list",
                show=False),
        *(
            Binding(section.key, f"section('{section.mode}')", section.title,
                    id=f"section.{section.mode}", tooltip=N_("Open this section"))
            for section in SECTIONS
        ),
    ]

    def __init__(
        self,
        db_url: str,
        *,
        language: str | None = None,
        seed_language: str | None = None,
        demo: bool = False,
    ) -> None:
        if language:
            set_language(language)
        tui_compat.install()
        super().__init__()
        tui_compat.enlarge_css_parse_cache(self)
        translate_bindings(self)
        self.db_url = db_url
        self.db_label = describe_url(db_url)
        self.demo = demo
        self.seed_language = seed_language or current_language()
        self.db: Database | None = None
        self.user_login = ""
        # The current user's role when the database opened (screens that depend on it
        # check again when they load).
        self.user_role = ""
        # (values, is administrator) as last read; see _read_settings.
        self.settings_snapshot: tuple[dict[str, Any], bool] | None = None
        self.database_opened: Signal[Database] = Signal(self, "database-opened")
        # Published when another session committed a change (live refresh).
        self.data_changed: Signal[None] = Signal(self, "data-changed")
        self._watcher: ChangeWatcher | None = None
        self._warm_up_started = False
        self._mail_poller: MailPoller | None = None
        self._reminders: Reminders | None = None
        self._switching_section = False
        for section in SECTIONS:
            self.add_mode(section.mode, _section_factory(section.module, section.screen_class))
        self.add_mode("_switching", Screen)
        self.user_login = current_login()

    def on_load(self) -> None:
        # No collection until the first frame is drawn: the modules just imported and the
        # first screen's widgets all live as long as the app, and a full collection among
        # them (one always ran while the home screen was built) cost the first frame 15-30 ms.
        gc.disable()

    def on_mount(self) -> None:
        self.call_after_refresh(self._first_frame_drawn)
        self.call_after_refresh(self.open_database)

    def _first_frame_drawn(self) -> None:
        self.styled = True
        gc.freeze()  # what start-up made lives as long as the app: out of the collector's way
        gc.enable()

    def on_unmount(self) -> None:
        gc.enable()  # an app that ends before its first frame leaves the collector on

    @work(thread=True, exclusive=True, group="database")
    def open_database(self) -> None:
        """Open (create, upgrade, seed) the database off the event loop."""
        from crm_tui.memory import limit_malloc_arenas

        # The first worker: the limit applies to the threads that follow (after the first
        # frame, so that loading ctypes does not delay it).
        limit_malloc_arenas()
        from crm_tui.store.database import Database
        from crm_tui.store.users import current_role, ensure_current_user

        try:
            database = Database.open(self.db_url)
            if database.created:
                _fill_new_database(database, self.seed_language, self.demo)
            with database.read_plain() as connection:
                known = current_role(connection)
            if known is None:  # first use of this database by this user: their row
                with database.write() as session:
                    known = ensure_current_user(session).role
            role = known
        except Exception as error:  # shown to the user, never a traceback
            self.call_from_thread(self._database_failed, error)
            return
        self.call_from_thread(self._database_ready, database, role)
        from crm_tui.credentials import take_notices

        for notice in take_notices():  # e.g. secrets the upgrade moved out of the database
            self.call_from_thread(self.notify, notice, severity="warning", timeout=30,
                                  markup=False)

    def _database_ready(self, database: Database, role: str) -> None:
        from crm_tui.store.watch import ChangeWatcher

        self.db = database
        self.user_role = role
        self._watcher = ChangeWatcher(database.engine)
        self.database_opened.publish(database)
        self.set_interval(1.0, self.poll_changes, name="live-refresh")
        from crm_tui.mail.poll import MailPoller

        self._mail_poller = MailPoller(self.mail_poll_s)
        # The first look comes after one period: opening the app reads nothing more.
        self.set_interval(self.mail_poll_s or 30.0, self.fetch_mail, name="mail-fetch")
        from crm_tui.reminders import REMINDER_SECONDS, Reminders

        self._reminders = Reminders()  # what comes due from now on
        self.set_interval(REMINDER_SECONDS, self.check_reminders, name="reminders")

    @work(thread=True, exclusive=True, group="reminders")
    def check_reminders(self) -> None:
        """Tell the user, once, what came due since the last look (never on the event loop)."""
        if self.db is None or self._reminders is None:
            return
        due = self._reminders.tick(self.db, self.user_login)
        if due is not None:
            self.call_from_thread(self._remind, due)

    def _remind(self, due: Due) -> None:
        from crm_tui.domain.enums import LABELS

        for item in due.items:
            what = _("Task") if item.kind == "claim" else _(LABELS.get(item.kind, item.kind))
            self.notify(f"{what} {item.key}: {item.title}", title=_("Reminder: due now"),
                        timeout=60, markup=False)
        if due.bell:
            self.bell()

    @work(thread=True, group="mail-fetch")
    def fetch_mail(self) -> None:
        """Fetch the user's new mail when it is time (never on the event loop)."""
        if self.db is None or self._mail_poller is None:
            return
        outcome = self._mail_poller.tick(self.db)
        if outcome is None:
            return
        if outcome.error:
            self.call_from_thread(self.notify, outcome.error, severity="error", timeout=15,
                                  markup=False)
        elif outcome.new:
            self.call_from_thread(self.data_changed.publish, None)
            self.call_from_thread(self.notify, _("New e-mails in the inbox: {count}").format(
                count=outcome.new), markup=False)

    def start_warm_up(self) -> None:
        """Start importing the sections' modules in the background (once). The home screen
        calls it when its first data is shown, so that it does not compete with it."""
        if not self._warm_up_started:
            self._warm_up_started = True
            self.warm_up()

    @work(thread=True, exclusive=True, group="warm-up")
    def warm_up(self) -> None:
        """Import every section's modules in the background, so that a section opens at
        once the first time too (importing them takes tens of milliseconds each)."""
        modules = [f"crm_tui.screens.{section.module}" for section in SECTIONS]
        # What the sections' workers and handlers import on first use (importing on the
        # event loop cost a section ~10 ms).
        modules += [f"crm_tui.store.{name}" for name in WARM_STORE_MODULES]
        for module in modules:
            try:
                importlib.import_module(module)
            except Exception:  # imported again (and reported) when the section opens
                continue
        self._read_settings()
        _load_number_formats()
        self.call_from_thread(self._read_sections_css)
        self._warm_sections()
        # What is loaded now lives as long as the app: moved out of the collector's sight,
        # later collections are short instead of pausing a keystroke for tens of ms.
        gc.collect()
        gc.freeze()

    def _read_sections_css(self) -> None:
        """Add every section's stylesheet to the app's now, in one parse.

        Textual re-parses every CSS source of the app (about 30, with a fresh parse cache)
        when a screen first brings a stylesheet of its own (`App._load_screen_css`), so each
        section's first opening paid a whole re-parse: 60-80 ms of its 100-450 ms on the
        huge demo set, and the next new widget class re-parsed them again. Read here once,
        while the user looks at the home screen, each is found already there and nothing is
        re-parsed (tests/functional/shell/test_section_first_open.py)."""
        stylesheet = self.stylesheet
        added: list[tuple[str, str]] = []
        try:
            for section in SECTIONS[1:]:
                module = importlib.import_module(f"crm_tui.screens.{section.module}")
                for path in tui_compat.screen_css_paths(getattr(module, section.screen_class)):
                    if not stylesheet.has_source(str(path), ""):
                        stylesheet.read(path)
                        added.append((str(path), ""))
            if added:
                # parse(), not Textual's reparse(): only the new sources are parsed, and into
                # the stylesheet's own cache, where the next widget class's CSS looks. No
                # restyle of the nodes shown: these rules name only the sections' own screens
                # and widgets (a restyle redrew the home screen to an idle terminal).
                stylesheet.parse()
        except Exception:
            # Left for the section to read (and report) when it opens, as Textual does.
            for read_from in added:
                stylesheet.source.pop(read_from, None)

    def _warm_sections(self) -> None:
        """Each section's opening reads, made once in the background (see SectionScreen.warm)."""
        if self.db is None:
            return
        for section in SECTIONS:
            try:
                module = importlib.import_module(f"crm_tui.screens.{section.module}")
                getattr(module, section.screen_class).warm(self.db)
            except Exception:  # the section reads (and reports) for itself when it opens
                continue

    def _read_settings(self) -> None:
        """The settings as the settings section shows them, for it to open filled in (it
        reads them again when it opens, and redraws only rows that changed meanwhile)."""
        if self.db is None:
            return
        try:
            from crm_tui.screens.settings.settings import read_settings

            with self.db.read() as session:
                self.settings_snapshot = read_settings(session)
        except Exception:  # the section reads them itself
            return

    @work(thread=True, exclusive=True, group="live-refresh")
    def poll_changes(self) -> None:
        """Notice other sessions' commits (every second) and tell the open screens."""
        if self._watcher is None:
            return
        try:
            changed = self._watcher.changed()
        except Exception:  # a busy or vanished database: try again next tick
            return
        if changed:
            self.call_from_thread(self.data_changed.publish, None)

    def _database_failed(self, error: Exception) -> None:
        from crm_tui.store.open_errors import explain

        reason = explain(error, self.db_url) or error
        self.notify(_("Cannot open the database: {error}").format(error=reason),
                    severity="error", timeout=30, markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The section keys (digits) are for moving between sections, never for typing: they
        do nothing while a field that takes text or a choice has the focus (a Select, even
        with its list open: typing an amount jumped to another section), or while the form
        on screen holds unsaved input (issue 22 §3). The palette still switches (and asks)."""
        return action != "section" or self._section_keys_free()

    def _section_keys_free(self) -> bool:
        from crm_tui.widgets.unsaved import is_dirty

        return not self._typing() and not is_dirty(self.screen)

    def _typing(self) -> bool:
        """Whether the focus is in a field that takes text or a choice. Nothing focused (the
        first frames: the footer asks this while drawing) answers without importing the
        field classes — TextArea's import alone cost the first frame ~30 ms."""
        focused = self.focused
        if focused is None:
            return False
        from textual.widgets import Input, Select, TextArea

        return any(isinstance(node, (Input, Select, TextArea))
                   for node in focused.ancestors_with_self)

    # -------------------------------------------------------------- actions
    async def action_quit(self) -> None:
        """Ctrl+Q: forms with unsaved input ask "Save changes?" first (widgets/unsaved.py)."""
        from crm_tui.widgets.unsaved import leave_forms

        await leave_forms(self, self.exit, tuple(s.mode for s in SECTIONS))

    async def action_section(self, mode: str) -> None:
        from crm_tui.widgets.unsaved import leave_forms

        if mode == self.current_mode:
            await self._switch_section(mode)
        else:  # the forms stay in this section's stack: ask, and close the discarded ones
            await leave_forms(self, lambda: self._switch_section(mode), close_discarded=True)

    async def _switch_section(self, mode: str) -> None:
        # No frame until the section's widgets are mounted: a half-built screen never shows.
        self._switching_section = True
        try:
            with self.batch_update():
                await self.switch_mode(mode)
        finally:
            self._switching_section = False

    def delay_update(self, delay: float = 0.05) -> None:
        """Textual holds every frame for 50 ms after a mode switch to hide a half-built
        screen; action_section holds them only until the section's widgets are mounted,
        which is sooner (the data's frame came 50 ms late on every section)."""
        if self._switching_section:
            return
        super().delay_update(delay)

    def action_import_table(self, target: str = "partners") -> None:
        """The import from a spreadsheet (partners, contacts or deals); the lists show what
        it wrote as they show another session's commits."""
        from crm_tui.screens.shell.import_table import ImportTableScreen

        if self.db is None:
            return

        def done(imported: bool | None) -> None:
            if imported:
                self.data_changed.publish(None)

        self.push_screen(ImportTableScreen(target), done)

    def action_export_list(self) -> None:
        """The list on screen out to CSV or XLSX, every row of it (screens/shell/list_export)."""
        from crm_tui.screens.shell.list_export import export_list

        export_list(self.screen)

    def action_help(self) -> None:
        from crm_tui.screens.shell.help import HelpScreen

        if isinstance(self.screen, HelpScreen):  # F1 again closes it
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen_keys(self.screen)))

    def screen_keys(self, screen: Screen[Any]) -> list[tuple[str, str]]:
        """(keys, description) of the screen's own keys (see screen_bindings)."""
        return [(keys, description) for keys, description, _binding
                in self.screen_bindings(screen)]

    def screen_bindings(self, screen: Screen[Any]) -> list[tuple[str, str, Binding]]:
        """(keys, description, binding) of the screen's own enabled keys, one row per
        binding id with its keys joined ("w/ц", "n/т/Insert": see widgets/bindings.py).
        Ours all have ids; the app's (sections, help, quit) and Textual's (Tab, copy) are
        listed as "Everywhere"."""
        rows: dict[str, tuple[list[str], str, Binding]] = {}
        for (_node, binding, enabled, _tooltip) in screen.active_bindings.values():
            if not enabled or not binding.description or not binding.id \
                    or binding.id.startswith(("app.", "section.")):
                continue
            keys, _description, _first = rows.setdefault(
                binding.id, ([], binding.description, binding))
            display = binding.key_display or self.get_key_display(binding)
            if display not in keys:
                keys.append(display)
        return [("/".join(keys), description, binding)
                for keys, description, binding in rows.values()]

    def action_command_palette(self) -> None:
        """The command palette, its own words in the UI language too."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(tui_compat.command_palette(_("Search for commands…"),
                                                        _("No matches found")))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette entries in the UI language ("Keys" opens this app's help;
        Textual's key panel describes its widgets in English)."""
        yield SystemCommand(_("Theme"), _("Change the colour theme"), self.action_change_theme)
        yield SystemCommand(_("Quit"), _("Quit the application (asks about unsaved input)"),
                            self.action_quit)
        yield SystemCommand(_("Keys"), _("Every key of this screen"), self.action_help)
        if screen.maximized is not None:
            yield SystemCommand(_("Minimize"), _("Back to the normal size"),
                                screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(_("Maximize"), _("Show the focused widget on the whole screen"),
                                screen.action_maximize)
        yield SystemCommand(_("Screenshot"), _("Save a picture (SVG) of the screen"),
                            lambda: self.set_timer(0.1, self.deliver_screenshot))

    async def action_switch_language(self) -> None:
        """Switch between Russian and English, rebuilding every screen in the new language
        (forms with unsaved input ask "Save changes?" first)."""
        from crm_tui.widgets.unsaved import leave_forms

        await leave_forms(self, self._switch_language, tuple(s.mode for s in SECTIONS))

    async def _switch_language(self) -> None:
        set_language("en" if current_language() == "ru" else "ru")
        tui_compat.reset_app_bindings(self)
        translate_bindings(self)
        current = self.current_mode
        await self.switch_mode("_switching")
        for section in SECTIONS:
            await self.remove_mode(section.mode)
            self.add_mode(section.mode, _section_factory(section.module, section.screen_class))
        await self.switch_mode(current)
        self.refresh_bindings()


def _fill_new_database(database: Database, language: str, demo: bool) -> None:
    """A new database gets the classifiers of the chosen language, or the demo data."""
    if demo:
        from crm_tui.domain import clock
        from crm_tui.exchange.demo import load_demo

        # Built around today, so the inbox and the calendar have work to show.
        load_demo(database, "small", seed=1, anchor=clock.now())
    else:
        from crm_tui.exchange.seed import seed_classifiers

        seed_classifiers(database, language)
