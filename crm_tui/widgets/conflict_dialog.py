"""The dialog shown when a save finds that someone else saved (or deleted) the record first.

It shows the three-way merge (domain/merge.py) of what the form was opened with, what is
saved now and what the form holds: their changes that are kept, my changes that are applied
on top, and every field both changed, with a choice of theirs or mine for each one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from crm_tui.domain.merge import Clash, Merge, RowKey, Side, merge
from crm_tui.domain.text import safe_display
from crm_tui.i18n import _
from crm_tui.widgets.key_bar import dialog_key_bar

Choice = Literal["merge", "reload", "cancel", "new"]


@dataclass(frozen=True)
class ConflictAnswer:
    """What the user chose: save the merge (with one pick per clash), reload theirs, go
    back to the edit, or (the record was deleted) save mine as a new record."""

    choice: Choice
    picks: tuple[Side, ...] = ()


@dataclass(frozen=True)
class Shown:
    """The merge described for the dialog: (label, theirs, mine) display strings."""

    theirs_kept: list[tuple[str, str]]
    mine_applied: list[tuple[str, str]]
    clashes: list[tuple[str, str, str]]
    changes: list[tuple[str, str, str]]


def describe(result: Merge, theirs: Mapping[str, Any], mine: Mapping[str, Any],
             labels: Mapping[str, str], show: Callable[[str, Any], str]) -> Shown:
    """Display strings for `result`: `labels` maps a field to its translated label, `show`
    turns a field's value into text (one row of a list field comes as a list of one)."""
    def text(name: str, value: Any) -> str:
        return safe_display(show(name, value))

    def label(clash: Clash) -> str:
        base = labels.get(clash.field, clash.field)
        if clash.row is None:
            return base
        return _("{field}, one row").format(field=base)

    def side(clash: Clash, value: Any) -> str:
        if clash.row is None:
            return text(clash.field, value)
        return text(clash.field, (value,)) if value is not None else _("(deleted)")

    clashed = {c.field for c in result.clashes if c.row is None}
    return Shown(
        theirs_kept=[(labels.get(f, f), text(f, theirs.get(f))) for f in result.theirs_changed
                     if f not in clashed and f in labels],
        mine_applied=[(labels.get(f, f), text(f, mine.get(f))) for f in result.mine_changed
                      if f not in clashed and f in labels],
        clashes=[(label(c), side(c, c.theirs), side(c, c.mine)) for c in result.clashes],
        changes=[(labels[f], text(f, theirs.get(f)), text(f, mine.get(f))) for f in labels
                 if theirs.get(f) != mine.get(f)],
    )


class ConflictDialog(ModalScreen[ConflictAnswer]):
    """Shows what the other person changed and what will be saved; dismisses with a
    ConflictAnswer. `deleted`: the record is gone (save mine as new, or drop my edit)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "choose('cancel')", show=False)]
    DEFAULT_CSS = """
    ConflictDialog { align: center middle; }
    ConflictDialog > Vertical {
        width: 100; height: auto; max-height: 95%; border: thick $error; background: $surface;
        padding: 1 2;
    }
    ConflictDialog #conflict-clashes { height: auto; max-height: 16; }
    ConflictDialog .clash { height: auto; margin-top: 1; }
    ConflictDialog .clash Button { width: 1fr; margin-right: 1; }
    ConflictDialog #conflict-buttons { height: auto; margin-top: 1; }
    ConflictDialog #conflict-buttons Button { margin-right: 2; }
    ConflictDialog #conflict-error { color: $error; height: auto; }
    """

    def __init__(self, shown: Shown | None = None, who: str | None = None,
                 deleted: bool = False) -> None:
        super().__init__()
        self.shown = shown or Shown([], [], [], [])
        self.changes = self.shown.changes  # (label, theirs, yours) of every differing field
        self.who = who
        self.deleted = deleted
        self.picks: list[Side | None] = [None] * len(self.shown.clashes)

    def compose(self) -> ComposeResult:
        shown = self.shown
        with Vertical():
            if self.deleted:
                title = _("Someone else deleted this record after you opened it.")
            elif self.who:
                title = _("{user} saved this record after you opened it.").format(user=self.who)
            else:
                title = _("Someone else saved this record after you opened it.")
            yield Static(Text(title, style="bold"), markup=False)
            if not self.deleted:
                yield Static(self._list(_("Their changes, kept:"), shown.theirs_kept),
                             markup=False, id="conflict-theirs")
                yield Static(self._list(_("Your changes, applied on top of theirs:"),
                                        shown.mine_applied), markup=False, id="conflict-mine")
                if shown.clashes:
                    yield Static(Text(_("Changed by both of you: choose one value for each "
                                        "field."), style="bold"), markup=False)
                with VerticalScroll(id="conflict-clashes"):
                    for number, (label, theirs, mine) in enumerate(shown.clashes):
                        with Vertical(classes="clash"):
                            yield Static(Text(label, style="bold"), markup=False)
                            with Horizontal(classes="clash"):
                                yield Button(Text(_("theirs «{value}»").format(value=theirs)),
                                             id=f"clash-{number}-theirs")
                                yield Button(Text(_("yours «{value}»").format(value=mine)),
                                             id=f"clash-{number}-mine")
            yield Static("", id="conflict-error", markup=False)
            with Horizontal(id="conflict-buttons"):
                if self.deleted:
                    yield Button(_("Save mine as a new record"), id="new", variant="primary")
                    yield Button(_("Drop my edit"), id="reload", variant="warning")
                else:
                    yield Button(_("Save the merge"), id="merge", variant="primary")
                    yield Button(_("Reload theirs"), id="reload", variant="warning")
                yield Button(_("Back to my edit"), id="cancel")
        yield dialog_key_bar()

    @staticmethod
    def _list(title: str, items: list[tuple[str, str]]) -> Text:
        body = Text(title, style="bold")
        if not items:
            body.append("\n  " + _("(nothing)"))
        for label, value in items:
            body.append(f"\n  {label}: ", style="bold")
            body.append(f"«{value}»")
        return body

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button.startswith("clash-"):
            _prefix, number, side = button.split("-")
            self.pick(int(number), "mine" if side == "mine" else "theirs")
            return
        self.action_choose(button)

    def pick(self, number: int, side: Side) -> None:
        """Choose theirs or mine for clash `number` (the chosen button is highlighted)."""
        self.picks[number] = side
        for other in ("theirs", "mine"):
            button = self.query_one(f"#clash-{number}-{other}", Button)
            button.variant = "success" if other == side else "default"
        self.query_one("#conflict-error", Static).update("")

    def action_choose(self, choice: str) -> None:
        if choice == "merge":
            if any(p is None for p in self.picks):
                self.query_one("#conflict-error", Static).update(
                    Text(_("Choose theirs or yours for every field changed by both.")))
                return
            self.dismiss(ConflictAnswer("merge", tuple(p for p in self.picks if p)))
            return
        self.dismiss(ConflictAnswer(choice))  # type: ignore[arg-type]


def resolve_conflict(app: App[Any], base: Mapping[str, Any], theirs: Mapping[str, Any] | None,
                     mine: Mapping[str, Any], labels: Mapping[str, str],
                     show: Callable[[str, Any], str], *,
                     merged: Callable[[dict[str, Any]], Any], reload: Callable[[], Any],
                     new: Callable[[], Any], row_keys: Mapping[str, RowKey] | None = None,
                     opened: Mapping[str, Any] | None = None) -> ConflictDialog:
    """Merge `mine` (the form) with `theirs` (saved now; None: deleted) on `base` (what the
    form was opened with) and ask: `merged(values)` gets the values to save (the caller
    saves them based on their version, and comes back here if that conflicts again),
    `reload` drops my edit, `new` saves mine as a new record. `opened`: the form's values as
    it showed them when opened, where they differ from the record's (a default filled in, a
    control character escaped): a field still as opened is not my change. Returns the
    dialog shown."""
    if theirs is None:
        dialog = ConflictDialog(deleted=True)

        def deleted(answer: ConflictAnswer | None) -> None:
            if answer is not None and answer.choice == "new":
                new()
            elif answer is not None and answer.choice == "reload":
                reload()

        app.push_screen(dialog, deleted)
        return dialog
    if opened is not None:
        mine = {name: base.get(name) if opened.get(name) == value else value
                for name, value in mine.items()}
    result = merge(base, theirs, mine, row_keys)
    dialog = ConflictDialog(describe(result, theirs, mine, labels, show))

    def answered(answer: ConflictAnswer | None) -> None:
        if answer is not None and answer.choice == "merge":
            merged(result.resolve(answer.picks))
        elif answer is not None and answer.choice == "reload":
            reload()

    app.push_screen(dialog, answered)
    return dialog
