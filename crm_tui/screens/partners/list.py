"""The Partners section: a searchable, filterable, virtual list of every partner.

Search as you type over name, INN, phone and e-mail (the FTS index answers each keystroke);
filter by region, role and manager; sort by name, region or manager. From the highlighted
partner: open its card, or register a claim, an interaction or a deal for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input

from crm_tui.domain.enums import LABELS, PARTNER_ROLE_BITS
from crm_tui.i18n import N_, _
from crm_tui.screens.navigation import new_record, open_record
from crm_tui.screens.partners.card_actions import open_form
from crm_tui.screens.shell.base import SectionScreen, warm_list
from crm_tui.store.search_partners import PartnerFilter, PartnerHit
from crm_tui.widgets.filter_choice import FilterChoice
from crm_tui.widgets.frame_hold import FrameHold
from crm_tui.widgets.status_line import StatusLine
from crm_tui.widgets.virtual_list import Column, Row, VirtualList

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm_tui.store.database import Database
    from crm_tui.store.repo_partners_read import Choice


# A search first counts at most this many matches with its first page, then exactly in the
# background when there are more. Counted in SQLite's search index alone (text without other
# filters) the first count goes further: up to TEXT_CAP matches cost at most 0.4 ms, and
# the rows and the exact count then come in one frame. PostgreSQL rechecks every row its
# trigram index finds: counting 4,500 matches of «аг» took 10-17 ms of a keystroke's 30 on
# the huge set, up to CAP 2-4 ms (benchmarks/pg_scale.py), so there the text cap is CAP.
CAP = 1000
TEXT_CAP = 5000
# A search keystroke's letter is drawn with its results (see FrameHold), or alone after this
# long (seconds) when they take longer.
SEARCH_HOLD = 0.03


@dataclass(frozen=True)
class PartnerSource:
    """Pages of the partner list for one filter (called in worker threads).

    Pages in name order are read by keyset after the last row of the page before, or
    backwards from the end when that is nearer, so End and deep PageDowns stay cheap on 100k
    partners. A text search is first counted up to its cap (`cap`), together with its first
    page (one frame for both); when there are more, the screen counts exactly in the
    background and tells the source (`know_total`) and the list (`set_count`)."""

    db: Database
    flt: PartnerFilter
    anchors: dict[int, tuple[str, int]] = field(default_factory=dict, compare=False)
    state: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def cap(self) -> int | None:
        """How many matches the first count counts at most (None: all)."""
        flt = self.flt
        if not flt.text.strip():
            return None
        if any(value is not None for value in (flt.region_id, flt.role_bit, flt.manager_id)):
            return CAP
        return TEXT_CAP if self.db.dialect == "sqlite" else CAP

    @property
    def capped(self) -> bool:
        """Whether the last count stopped at the cap (the exact count is still unknown)."""
        cap = self.cap
        return cap is not None and "exact" not in self.state \
            and self.state.get("count", 0) > cap

    def exact_count(self, session: Session) -> int:
        """The exact number of rows (read in a worker after a capped count)."""
        from crm_tui.store.search_partners import count_partners

        return count_partners(session, self.flt)

    def know_total(self, total: int) -> None:
        """The exact count, found after a capped one: deep pages may now be read from the end."""
        self.state["exact"] = total

    def count(self) -> int:
        if "first_count" in self.state:  # read with the first page
            return self.state.pop("first_count")
        with self.db.read() as session:
            return self._count(session)

    def _count(self, session: Session) -> int:
        from crm_tui.store.search_partners import count_partners

        cap = None if self.cap is None else self.cap + 1
        found = count_partners(session, self.flt, cap)
        self.state["count"] = found
        if cap is None or found < cap:
            self.state["exact"] = found
        return found

    def _hits(self, session: Session, offset: int, limit: int) -> list[PartnerHit]:
        from crm_tui.store import search_partners as search

        exact = self.state.get("exact")
        after = self.anchors.get(offset)
        if self.flt.sort != "name" or offset == 0:
            hits = search.fetch_partners(session, self.flt, offset, limit)
        elif exact is not None and offset > exact // 2:
            hits = search.fetch_from_end(session, self.flt, offset, limit, exact)
        elif after is not None:
            hits = search.fetch_after(session, self.flt, after, limit)
        else:
            hits = search.fetch_partners(session, self.flt, offset, limit)
        if hits:
            self.anchors[offset + len(hits)] = (hits[-1].name, hits[-1].row_id)
        return hits

    def fetch(self, offset: int, limit: int) -> Sequence[Row]:
        with self.db.read() as session:
            hits = self._hits(session, offset, limit)
            if offset == 0 and self.flt.text.strip():
                # Counted now, so that the list gets its rows and count in one frame.
                self.state["first_count"] = self._count(session)
        roles: dict[tuple[str, ...], str] = {}  # a few combinations, translated once
        for hit in hits:
            if hit.roles not in roles:
                roles[hit.roles] = ", ".join(_(LABELS[role]) for role in hit.roles)
        return [Row(hit.key, (hit.name, hit.inn, hit.region, roles[hit.roles], hit.manager))
                for hit in hits]


SORT_LABELS = {"name": N_("Sort: name"), "region": N_("Sort: region"),
               "manager": N_("Sort: manager")}


class PartnersScreen(SectionScreen):
    """The Partners section."""

    SECTION = "partners"
    # The list has the focus first, so the section keys (digits) work; Ctrl+F or typing
    # after Tab reaches the search field, where digits search INNs and phones.
    AUTO_FOCUS = "VirtualList"
    CSS_PATH = "partners.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open record"), id="partners.open", show=True),
        # Priority: they work from the search field too (its Input takes Ctrl+D and Ctrl+K
        # for deleting, and this screen's only text field is the search).
        Binding("ctrl+n", "new_partner", N_("New partner"), id="partners.new", priority=True),
        Binding("ctrl+k", "new_claim", N_("Claim"), id="partners.claim", priority=True),
        Binding("ctrl+t", "new_interaction", N_("Interaction"), id="partners.interaction",
                priority=True),
        Binding("ctrl+d", "new_deal", N_("Deal"), id="partners.deal", priority=True),
        Binding("ctrl+f", "search", N_("Search"), id="partners.search", priority=True),
        Binding("ctrl+o", "app.import_table('partners')", N_("Import from a file"),
                id="partners.import", show=False),
        Binding("escape", "clear", N_("Clear search"), id="partners.clear", show=False),
        # Down in the search field (which has no use for it) moves into the list.
        Binding("down", "to_list", show=False, id="partners.to_list"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._filter = PartnerFilter()
        self._source: PartnerSource | None = None
        self._choices_loaded = False
        self._search_hold: FrameHold | None = None

    def compose_body(self) -> ComposeResult:
        # Nothing to validate: without it, the first letter also restyled the field (its
        # "-valid" class), delaying that keystroke's search.
        yield Input(placeholder=_("Search: name, INN, phone, e-mail"), id="partners-search",
                    validate_on=[])
        with Horizontal(id="partners-filters"):
            yield FilterChoice(prompt=_("Any region"), id="partners-region")
            yield FilterChoice(
                [(Text(_(LABELS[role.value])), bit) for role, bit in PARTNER_ROLE_BITS.items()],
                prompt=_("Any role"), id="partners-role")
            yield FilterChoice(prompt=_("Any manager"), id="partners-manager")
            yield FilterChoice([(Text(_(label)), code) for code, label in SORT_LABELS.items()],
                               prompt=_("Sort"), value="name", allow_blank=False,
                               id="partners-sort")
        yield StatusLine(_("Loading…"), id="partners-status")
        yield VirtualList([
            Column(_("Name")), Column(_("INN"), 12), Column(_("Region"), 14),
            Column(_("Roles"), 14), Column(_("Manager"), 16),
        ], id="partners-list", on_count=self._show_count)

    @classmethod
    def warm(cls, db: Database) -> None:
        warm_list(PartnerSource(db, PartnerFilter()))

    def on_database_ready(self) -> None:
        self._apply()

    def on_data_changed(self) -> None:
        self._source = PartnerSource(self.db, self._filter)
        self.query_one(VirtualList).set_source(self._source, keep_cursor=True)

    def on_screen_resume(self) -> None:
        if self.crm.db is not None and self.returning:
            self.on_data_changed()

    def load_choices(self) -> None:
        def read(session: Session) -> tuple[list[Choice], list[Choice]]:
            from crm_tui.store.repo_partners_read import managers, regions

            return regions(session), managers(session)

        self.load_data(read, self._show_choices)

    def _show_choices(self, choices: tuple[list[Choice], list[Choice]]) -> None:
        region_list, manager_list = choices
        self.query_one("#partners-region", FilterChoice).set_options(
            [(Text(c.name), c.id) for c in region_list])
        self.query_one("#partners-manager", FilterChoice).set_options(
            [(Text(c.name), c.id) for c in manager_list])

    def _apply(self) -> None:
        self._source = PartnerSource(self.db, self._filter)
        self.query_one(VirtualList).set_source(self._source)

    @on(Input.Changed, "#partners-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._filter = replace(self._filter, text=event.value)
        if self.crm.db is not None:
            if self._search_hold is None:
                self._search_hold = FrameHold(self.app, SEARCH_HOLD)
            self._search_hold.hold()
            self._apply()

    @on(Input.Submitted, "#partners-search")
    def _search_submitted(self) -> None:
        self.query_one(VirtualList).focus()

    @on(FilterChoice.Changed)
    def _select_changed(self, event: FilterChoice.Changed) -> None:
        value: Any = None if event.value is FilterChoice.NULL else event.value
        ids = {"partners-region": "region_id", "partners-role": "role_bit",
               "partners-manager": "manager_id", "partners-sort": "sort"}
        name = ids.get(event.select.id or "")
        if name is None:
            return
        if name == "sort" and value is None:
            value = "name"
        if getattr(self._filter, name) == value:  # e.g. the sort field's first Changed on mount
            return
        self._filter = replace(self._filter, **{name: value})
        if self.crm.db is not None:
            self._apply()

    def _show_count(self, count: int) -> None:
        source = self._source
        status = self.query_one("#partners-status", StatusLine)
        if isinstance(source, PartnerSource) and source.capped:
            status.update(Text(_("Partners found: more than {count}").format(
                count=source.cap)))
        else:
            status.update(Text(_("Partners found: {count}").format(count=count)))

    def on_screen_suspend(self) -> None:
        # SectionScreen's handler runs as well (Textual calls each class's own).
        self._release_frames()

    def on_unmount(self) -> None:
        self._release_frames()

    def _release_frames(self) -> None:
        if self._search_hold is not None:
            self._search_hold.release()

    @on(VirtualList.Counted)
    def _counted(self) -> None:
        self._release_frames()  # the search's rows and count are in: one frame for all
        if not self._choices_loaded:  # after the first rows: they matter more
            self._choices_loaded = True
            self.load_choices()
        source = self._source
        if isinstance(source, PartnerSource) and source.capped:
            # After the frame with the rows: started now, the count's thread slowed it.
            self.call_after_refresh(self._count_exactly, source)

    def _count_exactly(self, source: PartnerSource) -> None:
        self.load_data(source.exact_count, partial(self._exactly_counted, source))

    def _exactly_counted(self, source: PartnerSource, total: int) -> None:
        if self._source is source:  # the filter has not changed meanwhile
            source.know_total(total)
            self.query_one(VirtualList).set_count(total)

    @on(VirtualList.Selected)
    def _selected(self, event: VirtualList.Selected) -> None:
        if event.row is not None:
            self._open_card(str(event.row.key))

    def _current_key(self) -> str | None:
        row = self.query_one(VirtualList).highlighted_row
        return None if row is None else str(row.key)

    def _open_card(self, key: str) -> None:
        open_record(self, "partner", key)

    def action_open(self) -> None:
        key = self._current_key()
        if key is not None:
            self._open_card(key)

    def action_new_partner(self) -> None:
        def done(key: str | None) -> None:
            if key:
                self._open_card(key)

        new_record(self, "partner", on_done=done)

    def action_new_claim(self) -> None:
        open_form(self, "claim", self._current_key())

    def action_new_interaction(self) -> None:
        open_form(self, "interaction", self._current_key())

    def action_new_deal(self) -> None:
        open_form(self, "deal", self._current_key())

    def action_to_list(self) -> None:
        self.query_one(VirtualList).focus()

    def action_search(self) -> None:
        self.query_one("#partners-search", Input).focus()

    def action_clear(self) -> None:
        search = self.query_one("#partners-search", Input)
        if search.value:
            search.value = ""
        search.focus()
