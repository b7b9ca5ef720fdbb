"""The deal form's stage bar: the deal's stage and status on one line, its moves as compact
buttons on the next (the buttons a closed deal cannot use are hidden, Reopen shown).

The bar only shows and asks: pressing a button posts `Button.Pressed` (ids `stage-next`,
`stage-prev`, `stage-choose`, `stage-win`, `stage-lose`, `stage-reopen`) to the screen,
which applies the kind's stage rules."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from crm_tui.i18n import _

MOVES = ("stage-prev", "stage-next", "stage-choose", "stage-win", "stage-lose")


class DealStageBar(Vertical):
    """Stage, status and the moves of one saved deal (hidden for a new deal)."""

    DEFAULT_CSS = """
    DealStageBar { height: auto; display: none; padding: 0 1; background: $boost; }
    DealStageBar.-shown { display: block; }
    DealStageBar #stage-summary { height: auto; }
    DealStageBar #stage-moves { height: 1; }
    DealStageBar #stage-moves > Button { margin-right: 1; min-width: 0; }
    DealStageBar.-closed .-move { display: none; }
    DealStageBar #stage-reopen { display: none; }
    DealStageBar.-closed #stage-reopen { display: block; }
    DealStageBar.-no-stages .-staged { display: none; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="stage-summary", markup=False)
        with Horizontal(id="stage-moves"):
            yield Button(_("◀ Previous stage"), id="stage-prev", compact=True,
                         classes="-move -staged")
            yield Button(_("Next stage ▶"), id="stage-next", compact=True,
                         classes="-move -staged")
            yield Button(_("Stage…"), id="stage-choose", compact=True, classes="-move -staged")
            yield Button(_("Win"), id="stage-win", compact=True, classes="-move")
            yield Button(_("Lose…"), id="stage-lose", compact=True, classes="-move")
            yield Button(_("Reopen"), id="stage-reopen", compact=True)

    def show(self, summary: Text, *, closed: bool, staged: bool) -> None:
        """Show a saved deal's summary; `closed`: won or lost; `staged`: its kind has stages."""
        self.query_one("#stage-summary", Static).update(summary)
        self.set_class(True, "-shown")
        self.set_class(closed, "-closed")
        self.set_class(not staged, "-no-stages")
