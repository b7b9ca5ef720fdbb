"""The Deals section: a kanban board of the chosen deal kind (a list for non-process kinds).

A board is read in one worker: every column's count and sum (kept by triggers), then each
column's first cards, shown in one frame; a column reads more cards as the cursor nears its
end. Moving a card, winning, losing and reopening (screens/deals/outcome.py) run in write
workers and obey the kind's stage rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical

from crm_tui.domain.enums import LABELS, StageControl
from crm_tui.domain.errors import DomainError
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.deals.list_source import DealListSource, board_rows, deal_list_columns
from crm_tui.screens.deals.outcome import DealOutcomes
from crm_tui.screens.navigation import new_record, open_record
from crm_tui.screens.shell.base import SectionScreen
from crm_tui.store.database import Database
from crm_tui.store.repo_deals import BoardFilter, Choice, ColumnData, DealCard, KindView
from crm_tui.store.setting_defaults import currency
from crm_tui.widgets.kanban import ColumnSpec, KanbanBoard
from crm_tui.widgets.status_line import StatusLine
from crm_tui.widgets.virtual_list import VirtualList

if TYPE_CHECKING:
    from sqlmodel import Session

PAGE = 30


def read_columns(session: Any, flt: BoardFilter, stage_ids: list[int]) -> list[ColumnData]:
    """Each column's count, sum and first PAGE cards (called in a worker)."""
    from crm_tui.store.repo_deals import board_columns

    return board_columns(session, flt, stage_ids, PAGE)


def read_reference(session: Any) -> Reference:
    """Kinds, managers, regions, loss reasons and the current user (the app made sure of
    the user when it opened the database)."""
    from crm_tui.store.repo_deals import current_user_id, list_classifier, list_kinds, list_users

    return Reference(tuple(list_kinds(session)), tuple(list_users(session)),
                     tuple(list_classifier(session, "region")),
                     tuple(list_classifier(session, "loss_reason")), current_user_id(session))


@dataclass(frozen=True)
class Reference:
    """What the board needs besides deals: kinds, managers, regions, loss reasons, me."""

    kinds: tuple[KindView, ...]
    users: tuple[Choice, ...]
    regions: tuple[Choice, ...]
    loss_reasons: tuple[Choice, ...]
    me: int


class DealsScreen(SectionScreen):
    """The deals board."""

    SECTION = "deals"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "cycle_kind", N_("Kind"), id="deals.kind"),
        Binding("right_square_bracket", "step(1)", N_("Next stage"), id="deals.next",
                key_display="]"),
        Binding("left_square_bracket", "step(-1)", N_("Prev stage"), id="deals.prev",
                key_display="["),
        Binding("shift+right", "step(1)", N_("Next stage"), id="deals.next_alt", show=False),
        Binding("shift+left", "step(-1)", N_("Prev stage"), id="deals.prev_alt", show=False),
        Binding("w", "win", N_("Win"), id="deals.win"),
        Binding("l", "lose", N_("Lose"), id="deals.lose"),
        Binding("r", "reopen", N_("Reopen"), id="deals.reopen", show=False),
        Binding("o", "open", N_("Open deal"), id="deals.open"),
        Binding("n", "create", N_("New"), id="deals.new"),
        Binding("m", "mine", N_("Mine"), id="deals.mine"),
        Binding("u", "cycle_manager", N_("Manager"), id="deals.manager"),
        Binding("g", "cycle_region", N_("Region"), id="deals.region"),
        Binding("a", "toggle_open", N_("Open only"), id="deals.open_only"),
        Binding("i", "app.import_table('deals')", N_("Import from a file"), id="deals.import",
                show=False),
    ]
    CSS_PATH = "deals.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.reference: Reference | None = None
        self.kind_index = 0
        self.manager_index = -1  # -1: every manager
        self.region_index = -1
        self.open_only = True
        self.generation = 0
        self.last_message = ""
        self._columns_ready = -1  # the generation whose columns are mounted
        self._loaded_board: tuple[int, list[ColumnData],
                                  str | None] | None = None
        # The deal the form just saved, to select whichever of the form's callback and the
        # board's resume reads the board last.
        self._saved_key: str | None = None

    def action_win(self) -> None:
        """Ask once, showing the deal and its amount, then win it. A deal the kind's rules
        refuse to win is refused before asking (one key closed a deal before)."""
        from crm_tui.domain.stages import check_win

        card, kind = self.current_card, self.kind
        if card is None or kind is None:
            return
        stage = next((s.code for s in kind.stages if s.id == card.stage_id), None)
        try:
            check_win(kind.rules, card.status, stage, kind.stage_names)
        except DomainError as error:
            self._fail(error)
            return
        DealOutcomes(self).ask_and_win()

    def action_lose(self) -> None:
        DealOutcomes(self).lose()

    def action_reopen(self) -> None:
        DealOutcomes(self).reopen()

    # what DealOutcomes needs of its host
    def deal_target(self) -> DealCard | None:
        return self.current_card

    def loss_reason_choices(self) -> list[tuple[int, str]]:
        ref = self.reference
        return [(r.id, r.name) for r in ref.loss_reasons] if ref is not None else []

    async def outcome_done(self, key: str, message: str) -> None:
        self._done(message)
        await self.show_kind(keep_key=key)

    def compose_body(self) -> ComposeResult:
        yield StatusLine(_("Loading…"), id="deals-filters")
        board = KanbanBoard(id="deals-board")
        # The currency as the app's warm-up read it: drawn with the first cards, the read on
        # opening then finds it unchanged and the board is not drawn a second time.
        snapshot = self.crm.settings_snapshot
        if snapshot:
            board.currency = str(snapshot[0].get("currency") or "")
        with Vertical(id="deals-body"):
            yield board
            yield VirtualList(deal_list_columns(), id="deals-list",
                              empty_text=_("No deals of this kind"))

    # ------------------------------------------------------------ loading
    def on_database_ready(self) -> None:
        self.load_data(self._read_reference, self._reference_loaded,
                       on_error=self._fail)
        self.load_plain(currency, self._show_currency)

    def _show_currency(self, code: str) -> None:
        self.query_one(KanbanBoard).set_currency(code)

    @classmethod
    def warm(cls, db: Database) -> None:
        with db.read() as session:
            reference = read_reference(session)
            kind = next((kind for kind in reference.kinds if kind.stages), None)
            if kind is not None:
                read_columns(session, BoardFilter(kind.id),
                             [stage.id for stage in kind.stages])

    def _read_reference(self, session: Session) -> tuple[Reference, list[ColumnData] | None]:
        reference = read_reference(session)
        # The first board is read now too, so that it shows in the same frame as its columns.
        return reference, self._read_board(session, reference)

    def _read_board(self, session: Any, reference: Reference
                    ) -> list[ColumnData] | None:
        """The current kind's columns (None for a kind without stages)."""
        flt = self._filter_for(reference)
        if flt is None:
            return None
        kind = reference.kinds[min(self.kind_index, len(reference.kinds) - 1)]
        if kind.control == StageControl.NONE:
            return None
        return read_columns(session, flt, [stage.id for stage in kind.stages])

    def _fail(self, error: Exception) -> None:
        self.last_message = str(error)
        self.notify(str(error), severity="error", markup=False)

    def _reference_loaded(self, loaded: tuple[Reference, list[ColumnData] | None]) -> None:
        reference, columns = loaded
        self.reference = reference
        self.kind_index = min(self.kind_index, max(len(reference.kinds) - 1, 0))
        self.call_later(self.show_kind, None, None, columns)

    @property
    def kind(self) -> KindView | None:
        if self.reference is None or not self.reference.kinds:
            return None
        return self.reference.kinds[self.kind_index]

    def board_filter(self) -> BoardFilter | None:
        return self._filter_for(self.reference)

    def _filter_for(self, ref: Reference | None) -> BoardFilter | None:
        if ref is None or not ref.kinds:
            return None
        kind = ref.kinds[min(self.kind_index, len(ref.kinds) - 1)]
        manager = ref.users[self.manager_index].id if self.manager_index >= 0 else None
        region = ref.regions[self.region_index].id if self.region_index >= 0 else None
        return BoardFilter(kind.id, manager, region, self.open_only)

    def _show_filters(self) -> None:
        kind, ref = self.kind, self.reference
        bar = Text()
        if kind is None or ref is None:
            bar.append(_("No deal kinds: add them in Settings."))
        else:
            bar.append(_("Kind: "), style="bold")
            bar.append(safe_display(kind.name))
            bar.append(f" ({_(LABELS[kind.control.value])})  ")
            bar.append(_("Manager: "), style="bold")
            if self.manager_index >= 0:
                user = ref.users[self.manager_index]
                bar.append(_("me") if user.id == ref.me else safe_display(user.name))
            else:
                bar.append(_("all"))
            bar.append("  ")
            bar.append(_("Region: "), style="bold")
            bar.append(safe_display(ref.regions[self.region_index].name)
                       if self.region_index >= 0 else _("all"))
            bar.append("  ")
            bar.append(_("open only") if self.open_only else _("open and closed"), style="bold")
        self.query_one("#deals-filters", StatusLine).update(bar)

    def export_rows(self) -> tuple[list[str], Callable[[], Iterable[Sequence[str]]]] | None:
        """The board as a list for Ctrl+X (screens/shell/list_export.py); None when the
        kind is shown as a list already."""
        kind, flt = self.kind, self.board_filter()
        if kind is None or flt is None or kind.control == StageControl.NONE:
            return None
        headers = [_("Stage"), *(column.title for column in deal_list_columns())]
        stages = [(stage.id, stage.name) for stage in kind.stages]
        db = self.db
        return headers, lambda: board_rows(db, flt, stages)

    async def show_kind(self, keep_key: str | None = None, focus_stage: int | None = None,
                        preloaded: list[ColumnData] | None = None
                        ) -> None:
        """Show the chosen kind with the filters: columns (or the list) load lazily."""
        self._show_filters()
        kind, flt = self.kind, self.board_filter()
        board = self.query_one(KanbanBoard)
        deal_list = self.query_one(VirtualList)
        self.generation += 1
        if kind is None or flt is None:
            return
        if kind.control == StageControl.NONE:
            self.add_class("-list")
            deal_list.set_source(DealListSource(self.db, flt), keep_cursor=keep_key is not None)
            deal_list.focus()
            return
        self.remove_class("-list")
        specs = [ColumnSpec(stage.id, stage.name) for stage in kind.stages]
        if preloaded is not None:
            self._loaded_board = (self.generation, preloaded, keep_key)
        else:  # the columns' counts, sums and first cards are read while the columns mount
            self._load_board([stage.id for stage in kind.stages], flt, keep_key)
        current = [(c.spec.id, c.spec.title) for c in board.columns]
        # One frame for the new columns, the focus and (when read already) their data.
        with self.app.batch_update():
            if current != [(s.id, s.title) for s in specs]:
                await board.set_columns(specs)
            if focus_stage is not None:
                index = next((i for i, s in enumerate(specs) if s.id == focus_stage), 0)
                board.focus_column(index)
            board.focus()
            self._columns_ready = self.generation
            self._apply_board()

    def _load_board(self, stage_ids: list[int], flt: BoardFilter,
                    keep_key: str | None) -> None:
        """Every column's count, sum and first cards, in one worker and one read (columns
        read side by side in threads competed for the interpreter with drawing)."""
        self.load_data(lambda session: read_columns(session, flt, stage_ids),
                       partial(self._board_loaded, self.generation, keep_key))

    def _board_loaded(self, generation: int, keep_key: str | None,
                      columns: list[ColumnData]) -> None:
        # A newer board load drops this one; so does showing a kind without stages.
        if generation == self.generation:
            self._loaded_board = (generation, columns, keep_key)
            self._apply_board()

    def _apply_board(self) -> None:
        """Show the loaded columns once both they are read and their widgets are mounted."""
        loaded = self._loaded_board
        if loaded is None or loaded[0] != self.generation or self._columns_ready != loaded[0]:
            return
        self._loaded_board = None
        _generation, columns, keep_key = loaded
        board = self.query_one(KanbanBoard)
        for index, (count, total, cards) in enumerate(columns):
            board.set_column_data(index, count, total, cards, keep_key)
        # The kept deal (a new one, or one just moved) is selected wherever it now is.
        found = next((index for index, (_count, _total, cards) in enumerate(columns)
                      if any(card.key == keep_key for card in cards)), None)
        if found is not None:
            board.focus_column(found, keep_key)
            if keep_key == self._saved_key:
                self._saved_key = None

    def on_kanban_board_need_more(self, event: KanbanBoard.NeedMore) -> None:
        board, flt = self.query_one(KanbanBoard), self.board_filter()
        column = board.column(event.column)
        if column is None or flt is None:
            return
        stage_id, offset, generation = column.spec.id, len(column.cards), self.generation

        def more(session: Session) -> list[DealCard]:
            from crm_tui.store.repo_deals import column_cards

            return column_cards(session, flt, stage_id, offset, PAGE)

        self.load_data(more, partial(self._more_loaded, generation, event.column),
                       channel=f"more-{event.column}")

    def _more_loaded(self, generation: int, index: int, cards: list[DealCard]) -> None:
        if generation == self.generation:
            self.query_one(KanbanBoard).append_cards(index, cards)

    def on_data_changed(self) -> None:
        card = self.current_card
        self.call_later(self.show_kind, card.key if card else None)

    def on_screen_resume(self) -> None:
        # Deals changed in this session elsewhere (a partner card, the palette) reach no
        # signal: the counts, sums and cards are read again when the board comes back.
        if self.crm.db is not None and self.returning and self.reference is not None:
            self.call_later(self._show_again)

    async def _show_again(self) -> None:
        # The deal to keep is chosen now, not when the screen resumed: the form's callback
        # may have set `_saved_key` in between (then the board kept the old card, D9-style
        # races in tests/functional/deals/test_board_flow.py).
        card = self.current_card
        key = self._saved_key or (card.key if card else None)
        self._saved_key = None
        await self.show_kind(key)

    # ------------------------------------------------------------ filters
    async def action_cycle_kind(self) -> None:
        if self.reference and self.reference.kinds:
            self.kind_index = (self.kind_index + 1) % len(self.reference.kinds)
            await self.show_kind()

    async def action_mine(self) -> None:
        ref = self.reference
        if ref is None:
            return
        mine = next((i for i, u in enumerate(ref.users) if u.id == ref.me), -1)
        self.manager_index = -1 if self.manager_index == mine else mine
        await self.show_kind()

    async def action_cycle_manager(self) -> None:
        if self.reference:
            self.manager_index = _cycle(self.manager_index, len(self.reference.users))
            await self.show_kind()

    async def action_cycle_region(self) -> None:
        if self.reference:
            self.region_index = _cycle(self.region_index, len(self.reference.regions))
            await self.show_kind()

    async def action_toggle_open(self) -> None:
        self.open_only = not self.open_only
        await self.show_kind()

    # ------------------------------------------------------------ deal actions
    @property
    def current_card(self) -> DealCard | None:
        if self.has_class("-list"):
            row = self.query_one(VirtualList).highlighted_row
            return row.key if row is not None and isinstance(row.key, DealCard) else None
        card = self.query_one(KanbanBoard).current_card
        return card if isinstance(card, DealCard) else None

    def _write(self, action: Callable[[Any], Any], done: Callable[[Any], Any]) -> None:
        """Run `action(session)` in a write worker; show the reason when it is refused."""

        def run() -> None:
            try:
                with self.db.write() as session:
                    result = action(session)
            except DomainError as error:
                self.app.call_from_thread(self._fail, error)
                return
            self.app.call_from_thread(done, result)

        self.run_worker(run, thread=True, exclusive=True, group="deals-write")

    def action_step(self, step: int) -> None:
        from crm_tui.store.repo_deals import move_deal

        card, kind = self.current_card, self.kind
        if card is None or kind is None:
            return
        self._write(lambda s: move_deal(s, card.key, card.version, step=step),
                    lambda code: self._moved(card, code))

    async def _moved(self, card: DealCard, code: str) -> None:
        kind = self.kind
        stage = next((s for s in kind.stages if s.code == code), None) if kind else None
        self._done(_("{deal}: moved to {stage}").format(
            deal=safe_display(card.name), stage=safe_display(stage.name) if stage else code))
        await self.show_kind(keep_key=card.key, focus_stage=stage.id if stage else None)

    def _done(self, message: str) -> None:
        self.last_message = message
        self.notify(message, markup=False)

    def action_open(self) -> None:
        card = self.current_card
        if card is not None:
            self._open_form(card.key)

    def on_kanban_board_selected(self, event: KanbanBoard.Selected) -> None:
        if event.card is not None:
            self._open_form(event.card.key)

    def on_virtual_list_selected(self, event: VirtualList.Selected) -> None:
        if event.row is not None and isinstance(event.row.key, DealCard):
            self._open_form(event.row.key.key)

    def action_create(self) -> None:
        self._open_form(None)

    def _open_form(self, key: str | None) -> None:
        kind = self.kind
        kind_code = kind.code if kind else None

        async def closed(saved: str | None) -> None:
            if saved:
                self._saved_key = saved
                await self.show_kind(keep_key=saved)

        if key is None:
            new_record(self, "deal", on_done=closed, kind_code=kind_code)
        else:
            open_record(self, "deal", key, on_done=closed, kind_code=kind_code)


def _cycle(index: int, count: int) -> int:
    """-1 (all) → 0 → … → count-1 → -1."""
    return -1 if index + 1 >= count else index + 1

