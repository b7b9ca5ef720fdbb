"""The home screen, the manager's desktop: the counts, then the day's work — interactions
overdue and due today, claim tasks due, open deals needing attention (store/repo_desktop.py).

The counts are the first data; the lists follow in a worker, both on a plain connection
(before the ORM is imported). Enter opens a line's record; D and S mark an interaction done
or snooze it as in the inbox; W (supervisors) shows all managers' work or one manager's."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static

from crm_tui.domain import clock
from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import SectionScreen
from crm_tui.sections import SECTIONS

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from crm_tui.domain.interactions import SnoozeChoice, WorkDay
    from crm_tui.store.repo_desktop import Desktop
    from crm_tui.store.repo_overview import Overview

# Whose work the desktop shows: MINE, EVERYONE or a manager's login.
MINE, EVERYONE = "", "*"
REFRESH_SECONDS = 60  # what was due later today becomes overdue


class HomeScreen(SectionScreen):
    """Where the app opens: the day's work of the current user (or, for a supervisor, of
    everyone or one manager)."""

    SECTION = "home"
    CSS_PATH = "home.tcss"  # read with the app's own (see CrmApp.CSS_PATH)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "done", N_("Mark done"), id="home.done"),
        Binding("s", "snooze", N_("Snooze"), id="home.snooze"),
        Binding("w", "whose", N_("Whose work"), id="home.whose"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.whose = MINE
        self.whose_name = ""
        self.can_switch = False  # known once the desktop is read

    def compose_body(self) -> ComposeResult:
        # As few widgets as the layout needs: each one cost the first frame ~2% of a bare
        # Textual app's start (styling, arranging and drawing it), so a panel holding one
        # text is that text with a border.
        today = Static(Text(_("Loading…")), id="home-overview", classes="home-panel",
                       markup=False)
        today.border_title = _("Today")
        sections = Static(self._sections_text(), id="home-sections", classes="home-panel",
                          markup=False)
        sections.border_title = _("Sections")
        with Horizontal(id="home-body"):
            with Vertical(id="home-side"):
                yield today
                yield sections
            with Vertical(id="home-desk", classes="home-panel") as desk:
                desk.border_title = _("My work")
                # The list is mounted with its data: composing it here cost the first
                # frame a fifth of its time (benchmarks/run.py, cold start).
                yield Static(Text(_("Loading…")), id="home-desk-wait", markup=False)

    def _sections_text(self) -> Text:
        """Each section's key and name in two columns. Plain text, not a Rich table: it is
        part of the first frame, and a table cost that frame several milliseconds to measure
        and render."""
        rows = [(section.key, _(section.title)) for section in SECTIONS[1:]]
        rows += [("F1", _("Help: every key")), ("Ctrl+P", _("Command palette"))]
        width = max(cell_len(key) for key, _title in rows)
        text = Text(end="")
        for number, (key, title) in enumerate(rows):
            if number:
                text.append("\n")
            text.append(key, style="bold")
            text.append(" " * (width - cell_len(key) + 2))
            text.append(title)
        return text

    def on_database_ready(self) -> None:
        self.load_overview()
        self.set_interval(REFRESH_SECONDS, self._tick)

    def _tick(self) -> None:
        if self.is_current:
            self.load_desktop()

    def load_overview(self) -> None:
        def read(connection: Connection) -> Overview:
            from crm_tui.store.repo_overview import overview

            return overview(connection, clock.now())

        # A plain connection: the overview is read before the ORM is imported.
        self.load_plain(read, self._show_overview)

    def _show_overview(self, data: Overview) -> None:
        from rich.table import Table  # not needed for the first frame (~2 ms to import)

        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", style="bold")
        table.add_column()
        table.add_row(Text(str(data.partners)), Text(_("partners")))
        table.add_row(Text(str(data.open_deals)), Text(_("open deals")))
        table.add_row(Text(str(data.in_progress)), Text(_("interactions in progress")))
        table.add_row(Text(str(data.overdue), style="red" if data.overdue else ""),
                      Text(_("of them overdue")))
        table.add_row(Text(str(data.open_claims)), Text(_("open claims")))
        self.query_one("#home-overview", Static).update(table)
        self.load_desktop()

    # ------------------------------------------------------------------- the desktop
    def load_desktop(self) -> None:
        login = {MINE: self.crm.user_login, EVERYONE: None}.get(self.whose, self.whose)
        now = clock.now()

        def read(connection: Connection) -> tuple[Desktop, datetime]:
            from crm_tui.store.repo_desktop import attention_settings, desktop
            from crm_tui.store.setting_defaults import work_day

            return desktop(connection, login, now, work_day(connection),
                           attention_settings(connection)), now

        self.load_plain(read, self._show_desktop)

    async def _show_desktop(self, loaded: tuple[Desktop, datetime]) -> None:
        from crm_tui.screens.shell.desktop_lines import options

        data, now = loaded
        found = self.query("#home-work")
        if found:
            work = self.query_one("#home-work", OptionList)
        else:
            work = OptionList(id="home-work", markup=False)
            await self.query_one("#home-desk").mount(work)
            await self.query_one("#home-desk-wait").remove()
            if self.focused is None:
                work.focus()
        kept = work.highlighted_option.id if work.highlighted_option is not None else None
        work.set_options(options(data, now, self.whose != MINE))
        ids = [work.get_option_at_index(i).id for i in range(work.option_count)]
        first = next((i for i, option_id in enumerate(ids) if option_id), None)
        work.highlighted = ids.index(kept) if kept is not None and kept in ids else first
        desk = self.query_one("#home-desk")
        desk.border_title = {MINE: _("My work"), EVERYONE: _("All managers' work")}.get(
            self.whose, _("Work of {name}").format(name=self.whose_name))
        self.can_switch = data.can_switch
        self.call_after_refresh(self.crm.start_warm_up)

    def on_data_changed(self) -> None:
        self.load_overview()

    def on_screen_resume(self) -> None:
        # Changes made in this session (a deal won, a claim added) tell no other screen:
        # the counts and the desktop are read again whenever Home comes back.
        if self.crm.db is not None and self.returning:
            self.load_overview()

    def _current(self) -> tuple[str, str, int] | None:
        from crm_tui.screens.shell.desktop_lines import parse_id

        option = self.query_one("#home-work", OptionList).highlighted_option
        if option is None or not option.id:
            self.notify(_("Nothing selected"), severity="warning")
            return None
        return parse_id(option.id)

    @on(OptionList.OptionSelected, "#home-work")
    def _open(self, event: OptionList.OptionSelected) -> None:
        from crm_tui.screens.navigation import open_record
        from crm_tui.screens.shell.desktop_lines import parse_id

        if event.option.id:
            kind, key, _number = parse_id(event.option.id)
            open_record(self, kind, key)

    def _interaction(self) -> tuple[str, int] | None:
        current = self._current()
        if current is None:
            return None
        kind, key, version = current
        if kind != "interaction":
            self.notify(_("Snooze is for interactions; Enter opens this record"),
                        severity="warning")
            return None
        return key, version

    def action_done(self) -> None:
        """Mark the highlighted interaction or claim task done (a deal: open it)."""
        current = self._current()
        if current is None:
            return
        kind, key, number = current
        if kind == "interaction":
            self._write((key, number), None)
        elif kind == "claim":
            self._task_done(key, number)
        else:
            self.notify(_("Done is for interactions and tasks; Enter opens this record"),
                        severity="warning")

    @work(thread=True, exclusive=True, group="home-write")
    def _task_done(self, claim_key: str, seq: int) -> None:
        """A plan task done, as in My tasks (its time kept, the claim's version moved on)."""
        from crm_tui.domain.errors import DomainError
        from crm_tui.store.repo_claim_tasks import set_task_done, task_id

        try:
            with self.db.write() as session:
                set_task_done(session, task_id(session, claim_key, seq), True)
        except DomainError as error:
            self.app.call_from_thread(self._refused, str(error))
            return
        self.app.call_from_thread(self._written,
                                  _("{key}: task done").format(key=claim_key))

    def action_snooze(self) -> None:
        current = self._interaction()
        if current is None:
            return

        def read(connection: Connection) -> WorkDay:
            from crm_tui.store.setting_defaults import work_day

            return work_day(connection)

        def ask(day: WorkDay) -> None:
            from crm_tui.domain.interactions import snooze_until
            from crm_tui.screens.interactions.inbox_dialogs import SnoozeMenu

            def chosen(choice: SnoozeChoice | None) -> None:
                if choice is not None and current is not None:
                    self._write(current, snooze_until(clock.now(), choice, day))

            self.app.push_screen(SnoozeMenu(day), chosen)

        self.load_plain(read, ask, channel="snooze")

    @work(thread=True, exclusive=True, group="home-write")
    def _write(self, current: tuple[str, int], until: datetime | None) -> None:
        """Mark done (until None) or snooze, as the inbox does."""
        from crm_tui.domain.errors import DomainError
        from crm_tui.store import repo_interactions as repo

        key, version = current
        try:
            with self.db.write() as session:
                if until is None:
                    repo.mark_done(session, key, version)
                else:
                    repo.snooze(session, key, version, until)
        except DomainError as error:
            self.app.call_from_thread(self._refused, str(error))
            return
        message = _("{key}: done").format(key=key) if until is None else \
            _("{key}: snoozed until {time}").format(key=key,
                                                     time=until.strftime("%Y-%m-%d %H:%M"))
        self.app.call_from_thread(self._written, message)

    def _written(self, message: str) -> None:
        self.notify(message, markup=False)
        self.load_overview()

    def _refused(self, message: str) -> None:
        self.notify(message, severity="error", markup=False)
        self.load_overview()

    # ------------------------------------------------------------------ whose work
    def action_whose(self) -> None:
        if not self.can_switch:
            self.notify(_("Only a supervisor or an administrator sees other managers' work"),
                        severity="warning")
            return

        def read(connection: Connection) -> list[tuple[str, str]]:
            from crm_tui.store.repo_desktop import managers

            return managers(connection)

        self.load_plain(read, self._ask_whose, channel="whose")

    def _ask_whose(self, people: list[tuple[str, str]]) -> None:
        from crm_tui.widgets.filter_choice import ChoiceMenu

        names = dict(people)
        choices = [(Text(_("My work")), MINE), (Text(_("All managers")), EVERYONE)]
        choices += [(Text(name), login) for login, name in people]

        def chosen(value: object) -> None:
            if isinstance(value, str):
                self.whose, self.whose_name = value, names.get(value, value)
                self.load_desktop()

        self.app.push_screen(ChoiceMenu(_("Whose work"), choices, self.whose), chosen)
