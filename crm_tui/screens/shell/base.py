"""What every screen shares (CrmScreen, CrmModal: `crm`, `db`, translated bindings and
`load_data(read, then)`), and what every section screen adds: header, section bar, key bar,
and a hook that runs once the database is open (it opens in a worker after the first frame)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from textual.app import ComposeResult
from textual.message import Message
from textual.screen import ModalScreen, Screen

from crm_tui.i18n import _
from crm_tui.sections import BY_MODE
from crm_tui.widgets.bindings import translate_bindings
from crm_tui.widgets.header import AppHeader
from crm_tui.widgets.key_bar import KeyBar, dialog_key_bar
from crm_tui.widgets.section_bar import SectionBar

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlmodel import Session

    from crm_tui.app import CrmApp
    from crm_tui.domain.errors import DomainError
    from crm_tui.store.database import Database
    from crm_tui.widgets.virtual_list import RowSource


def warm_list(source: RowSource) -> None:
    """A list section's warm-up: its first page and its count, read as on opening."""
    from crm_tui.widgets.virtual_list import PAGE_SIZE  # not before the first frame

    source.fetch(0, PAGE_SIZE)
    source.count()


ResultT = TypeVar("ResultT")
T = TypeVar("T")


class DataLoaded(Message, Generic[T], bubble=False):
    """A `load_data()` read came back (posted by its worker thread to the screen that asked).

    `generation` numbers the screen's loads on one channel: only the newest is shown."""

    def __init__(self, channel: str, generation: int, result: T | None,
                 error: DomainError | None = None) -> None:
        super().__init__()
        self.channel, self.generation = channel, generation
        self.result, self.error = result, error


class CrmScreen(Screen[ResultT]):
    """A screen of the app (a section, a form, a pushed list): the typed app, its database,
    bindings in the UI language, and `load_data()` for reading data off the event loop
    (not `load`: many screens have a `load()` of their own that means "read me again")."""

    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        translate_bindings(self)
        self._generation = 0  # the last load's number
        # channel -> (generation, then, on_error) of the newest load asked for.
        self._loads: dict[str, tuple[int, Callable[[Any], object],
                                     Callable[[DomainError], object] | None]] = {}

    @property
    def crm(self) -> CrmApp:
        return cast("CrmApp", self.app)

    @property
    def db(self) -> Database:
        """The open database (a section: only from on_database_ready on)."""
        database = self.crm.db
        assert database is not None, "the database is not open yet"
        return database

    def load_data(self, read: Callable[[Session], T], then: Callable[[T], object], *,
                  channel: str | None = None,
                  on_error: Callable[[DomainError], object] | None = None) -> int:
        """Run `read(session)` in a thread worker inside one read session, then `then(result)`
        on the event loop, unless a newer load on the same channel was asked for meanwhile
        (its result is dropped: a slow old read never replaces a newer one).

        The channel is `then`'s name unless given. A DomainError from `read` goes to
        `on_error`, or is shown as a notice. Returns the load's generation."""
        return self._start_load(self.db.read, read, then, channel, on_error)

    def load_plain(self, read: Callable[[Connection], T], then: Callable[[T], object], *,
                   channel: str | None = None,
                   on_error: Callable[[DomainError], object] | None = None) -> int:
        """load_data on a plain connection (`db.read_plain()`), for reads made before the
        ORM is imported (the home screen's overview, the first data after start)."""
        return self._start_load(self.db.read_plain, read, then, channel, on_error)

    def _start_load(self, opening: Callable[[], AbstractContextManager[Any]],
                    read: Callable[[Any], T], then: Callable[[T], object],
                    channel: str | None, on_error: Callable[[DomainError], object] | None) -> int:
        channel = channel or _name_of(then)
        # One counter for the screen, never reset: a generation is never given twice, so a
        # late result can never pass for a later load's.
        self._generation += 1
        generation = self._generation
        self._loads[channel] = (generation, then, on_error)

        def run() -> None:
            from crm_tui.domain.errors import DomainError

            try:
                with opening() as session:
                    result = read(session)
            except DomainError as error:
                self.post_message(DataLoaded[T](channel, generation, None, error))
                return
            self.post_message(DataLoaded(channel, generation, result))

        self.run_worker(run, thread=True, group=f"load-{channel}",
                        description=f"load {channel} #{generation}")
        return generation

    async def on_data_loaded(self, message: DataLoaded[Any]) -> None:
        newest = self._loads.get(message.channel)
        if newest is None or newest[0] != message.generation:
            return  # stale: a newer load on this channel is on its way
        del self._loads[message.channel]
        _generation, then, on_error = newest
        if message.error is not None:
            if on_error is not None:
                on_error(message.error)
            else:
                self.notify(str(message.error), severity="error", markup=False)
            return
        shown = then(message.result)
        if inspect.isawaitable(shown):
            await shown


class CrmModal(ModalScreen[ResultT], CrmScreen[ResultT]):
    """A modal screen of the app, with what CrmScreen gives. One without a KeyBar of its
    own gets the dialog's key bar (Enter applies, Esc cancels) when it mounts."""

    def on_mount(self) -> None:
        if not self.query(KeyBar):
            self.mount(dialog_key_bar())


def _name_of(function: Callable[..., object]) -> str:
    inner = getattr(function, "func", function)  # a functools.partial
    return str(getattr(inner, "__name__", "data"))


class SectionScreen(CrmScreen[None]):
    """A section of the app. Subclasses set SECTION and implement compose_body()."""

    SECTION = "home"

    def __init__(self) -> None:
        super().__init__()
        # True once the screen has been hidden: a ScreenResume then means coming back. (It
        # also comes on the first show, when on_database_ready loads: don't load twice.)
        self.returning = False

    def on_screen_suspend(self) -> None:
        self.returning = True


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
