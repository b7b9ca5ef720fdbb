"""The inbox's small dialogs: the snooze menu and the filter dialog."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Select
from textual.widgets.option_list import Option

from crm_tui.domain.enums import LABELS, InteractionKind
from crm_tui.domain.interactions import SNOOZE_LABELS, SnoozeChoice, WorkDay, snooze_choices
from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import CrmModal
from crm_tui.store.partner_lookup import PartnerLookup
from crm_tui.store.repo_interactions_lists import Choice, InboxFilter, InboxView
from crm_tui.widgets.partner_picker import PartnerPicker

VIEW_LABELS: dict[InboxView, str] = {
    InboxView.IN_PROGRESS: N_("In progress"),
    InboxView.SNOOZED: N_("Snoozed"),
    InboxView.DONE: N_("Done"),
    InboxView.ALL: N_("All"),
}


def snooze_label(choice: SnoozeChoice, day: WorkDay) -> str:
    """A snooze choice as the menu shows it (the default one says so)."""
    if isinstance(choice, int):
        return _("{minutes} min (default)").format(minutes=choice)
    return _(SNOOZE_LABELS[choice]).format(hour=day.start_hour)


class SnoozeMenu(CrmModal[SnoozeChoice | None]):
    """Choose how long to snooze: keys 1-4 or the arrows and Enter; the organizer's default
    snooze comes first, "tomorrow" is the start of the working hours."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "pick(0)", show=False), Binding("2", "pick(1)", show=False),
        Binding("3", "pick(2)", show=False), Binding("4", "pick(3)", show=False),
        Binding("5", "pick(4)", show=False),
        Binding("escape", "cancel", N_("Back"), id="snooze.back"),
    ]
    CSS_PATH = "interactions.tcss"

    def __init__(self, day: WorkDay) -> None:
        super().__init__()
        self.day = day
        self.choices = snooze_choices(day)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = _("Snooze until")
            yield OptionList(*[Option(Text(f"{n}  {snooze_label(c, self.day)}"), id=str(n - 1))
                               for n, c in enumerate(self.choices, 1)], id="snooze-options")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(int(str(event.option.id)))

    def action_pick(self, index: int) -> None:
        if index < len(self.choices):
            self.dismiss(self.choices[index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class FilterDialog(CrmModal[InboxFilter | None]):
    """View, kind, partner and manager filters of the inbox."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", N_("Apply"), id="inbox-filter.apply"),
        Binding("ctrl+r", "reset", N_("Reset"), id="inbox-filter.reset"),
        Binding("escape", "cancel", N_("Back"), id="inbox-filter.back"),
    ]
    CSS_PATH = "interactions.tcss"

    def __init__(self, current: InboxFilter, managers: list[Choice]) -> None:
        super().__init__()
        self.current = current
        self.managers = managers

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = _("Inbox filter")
            yield Label(_("Show"))
            yield Select([(Text(_(label)), view.value) for view, label in VIEW_LABELS.items()],
                         value=self.current.view.value, allow_blank=False, id="flt-view")
            yield Label(_("Kind"))
            yield Select([(Text(_(LABELS[k.value])), k.value) for k in InteractionKind],
                         value=self.current.kind or Select.NULL, prompt=_("(any)"),
                         id="flt-kind")
            yield Label(_("Partner"))
            yield PartnerPicker(self.current.partner_key, source=PartnerLookup(self.app),
                                id="flt-partner")
            yield Label(_("Manager"))
            yield Select([(Text(m.title), m.key) for m in self.managers],
                         value=self.current.manager_login or Select.NULL, prompt=_("(any)"),
                         id="flt-manager")

    def _value(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else None

    def action_apply(self) -> None:
        self.dismiss(InboxFilter(
            view=InboxView(self._value("#flt-view") or InboxView.IN_PROGRESS.value),
            kind=self._value("#flt-kind"),
            partner_key=self.query_one(PartnerPicker).partner_key,
            manager_login=self._value("#flt-manager"),
        ))

    def action_reset(self) -> None:
        self.dismiss(InboxFilter())

    def action_cancel(self) -> None:
        self.dismiss(None)
