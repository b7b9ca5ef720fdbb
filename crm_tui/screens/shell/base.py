"""What every section screen shares: header, section bar, footer, translated bindings, and
a hook that runs once the database is open (it opens in a worker after the first frame)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from textual.app import ComposeResult
from textual.dom import DOMNode
from textual.screen import Screen

from crm_tui import tui_compat
from crm_tui.i18n import _
from crm_tui.sections import BY_MODE
from crm_tui.widgets.header import AppHeader
from crm_tui.widgets.key_bar import KeyBar
from crm_tui.widgets.section_bar import SectionBar

if TYPE_CHECKING:
    from crm_tui.app import CrmApp
    from crm_tui.store.database import Database
    from crm_tui.widgets.virtual_list import RowSource


def translate_bindings(node: DOMNode) -> None:
    """Replace the node's binding descriptions and tooltips with their translations.

    Descriptions are declared as English source strings (marked with N_) because class
    bodies run before the language is chosen."""
    tui_compat.map_bindings(node, lambda binding: replace(
        binding,
        description=_(binding.description) if binding.description else "",
        tooltip=_(binding.tooltip) if binding.tooltip else "",
    ))


def warm_list(source: RowSource) -> None:
    """A list section's warm-up: its first page and its count, read as on opening."""
    from crm_tui.widgets.virtual_list import PAGE_SIZE  # not before the first frame

    source.fetch(0, PAGE_SIZE)
    source.count()


class SectionScreen(Screen[None]):
    """A section of the app. Subclasses set SECTION and implement compose_body()."""

    SECTION = "home"

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        # True once the screen has been hidden: a ScreenResume then means coming back. (It
        # also comes on the first show, when on_database_ready loads: don't load twice.)
        self.returning = False

    def on_screen_suspend(self) -> None:
        self.returning = True

    @property
    def crm(self) -> CrmApp:
        return cast("CrmApp", self.app)

    @property
    def db(self) -> Database:
        """The open database (only call from on_database_ready on)."""
        database = self.crm.db
        assert database is not None, "the database is not open yet"
        return database

    def compose(self) -> ComposeResult:
        yield AppHeader(_(BY_MODE[self.SECTION].title))
        yield SectionBar(self.SECTION)
        yield from self.compose_body()
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        if self.crm.db is not None:
            self.call_after_refresh(self.on_database_ready)
        else:
            self.crm.database_opened.subscribe(self, self._database_signal)
        self.crm.data_changed.subscribe(self, self._data_changed_signal)

    def _data_changed_signal(self, _nothing: None) -> None:
        if self.is_current:
            self.on_data_changed()

    def _database_signal(self, _database: Any) -> None:
        self.query_one(AppHeader).refresh_context()
        self.on_database_ready()

    def on_database_ready(self) -> None:
        """Load data here: the database is open. Runs once per mount."""

    @classmethod
    def warm(cls, db: Database) -> None:
        """Make, off screen, the reads this section makes when it opens (reads only).

        The app's background warm-up calls it once after start, so that the section's first
        opening finds SQLAlchemy's statements compiled and the pages in SQLite's cache
        (compiling them cost the deals board ~25 ms the first time)."""

    def on_data_changed(self) -> None:
        """Another session committed: refresh lists (keeping cursor and unsaved input).

        Only called while this screen is the one shown; a screen also refreshes when it
        becomes current again (override on_screen_resume for that)."""
