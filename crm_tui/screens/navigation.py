"""One way to open a record: `open_record(where, kind, key)` and `new_record(where, kind,
**prefill)` over one table kind -> screen, imported only when a record is opened (start-up
stays lazy, and two screens that open each other need not import each other).

A kind missing here, or a module or class that does not import, is a bug: it raises, and
tests/unit/test_navigation.py imports every entry."""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


@dataclass(frozen=True)
class Target:
    """Where a screen lives: module, class and the keyword that takes the record's key."""

    module: str
    name: str
    key_argument: str

    def screen_class(self) -> type[Screen[Any]]:
        screen_class: type[Screen[Any]] = getattr(importlib.import_module(self.module),
                                                  self.name)
        return screen_class


# kind -> the form (or card) that shows one record of that kind.
RECORDS: dict[str, Target] = {
    "partner": Target("crm_tui.screens.partners.card", "PartnerCardScreen", "partner_key"),
    "deal": Target("crm_tui.screens.deals.form", "DealFormScreen", "deal_key"),
    "interaction": Target("crm_tui.screens.interactions.form", "InteractionFormScreen",
                          "interaction_key"),
    "claim": Target("crm_tui.screens.claims.form", "ClaimFormScreen", "claim_key"),
    "agreement": Target("crm_tui.screens.agreements.form", "AgreementFormScreen",
                        "agreement_key"),
}
# Screens about a record rather than the record itself: each takes (kind, key).
VIEWS: dict[str, Target] = {
    "history": Target("crm_tui.screens.shell.history", "HistoryScreen", "key"),
    "chain": Target("crm_tui.screens.interactions.subject_chain", "SubjectChainScreen", "key"),
}
# The kinds a new record can be created of (a partner is created by its wizard).
NEW: dict[str, Target] = {
    **{kind: target for kind, target in RECORDS.items() if kind != "partner"},
    "partner": Target("crm_tui.screens.partners.wizard", "PartnerWizardScreen", ""),
}

# What a pushed screen's result is given to (as App.push_screen takes it).
Done = Callable[[Any], None] | Callable[[Any], Awaitable[None]] | None


def record_screen(kind: str, key: str, **options: Any) -> Screen[Any]:
    """The screen that shows the record `key` of `kind` (options go to its constructor)."""
    target = RECORDS[kind]
    return target.screen_class()(**{target.key_argument: key}, **options)


def new_record_screen(kind: str, **prefill: Any) -> Screen[Any]:
    """The form for a new record of `kind`, with `prefill` (say partner_key=...)."""
    return NEW[kind].screen_class()(**prefill)


def open_record(where: App[Any] | Screen[Any], kind: str, key: str, *, on_done: Done = None,
                **options: Any) -> None:
    """Push the screen of the record `key` of `kind`; `on_done` gets its result. Over a
    form with unsaved input, "Save changes?" is asked first."""
    _over_form(where, lambda: record_screen(kind, key, **options), on_done)


def new_record(where: App[Any] | Screen[Any], kind: str, *, on_done: Done = None,
               **prefill: Any) -> None:
    """Push the form for a new record of `kind`; `on_done` gets its result (the new key or
    None, as the form dismisses). Over a form with unsaved input, "Save changes?" first."""
    _over_form(where, lambda: new_record_screen(kind, **prefill), on_done)


def _over_form(where: App[Any] | Screen[Any], make: Callable[[], Screen[Any]],
               on_done: Done) -> None:
    """Push `make()` over the current screen. When that screen is a form holding unsaved
    input, ask first, as leaving it would: Save saves it and then opens (a form that closes
    itself once saved is gone by then), Discard closes it and opens, Cancel opens nothing.
    `on_done` is dropped when the screen that asked for it is gone meanwhile."""
    from crm_tui.widgets.unsaved import SaveChangesDialog, UnsavedForm, is_dirty

    app = where.app
    form = app.screen
    if not is_dirty(form):
        app.push_screen(make(), on_done)
        return

    def done(result: Any) -> Any:
        if on_done is None or (where is not app and where not in app.screen_stack):
            return None
        return on_done(result)

    def push() -> None:
        app.push_screen(make(), done)

    def answered(answer: str | None) -> None:
        if answer == "save":
            assert isinstance(form, UnsavedForm)
            form.save_changes(push)
        elif answer == "discard":
            form.changes_discarded = True  # type: ignore[attr-defined]
            while form in app.screen_stack:
                app.pop_screen()
            push()

    app.push_screen(SaveChangesDialog(), answered)


def open_history(where: App[Any] | Screen[Any], kind: str, key: str) -> None:
    """Push the change history of the record `key` of `kind`."""
    where.app.push_screen(VIEWS["history"].screen_class()(kind, key))


def open_chain(where: App[Any] | Screen[Any], kind: str, key: str) -> None:
    """Push the interactions of a subject (a deal, a claim or an interaction) in time order."""
    where.app.push_screen(VIEWS["chain"].screen_class()(kind, key))
