"""The deal form's tabs: main fields, participants and contacts, history (primary demand:
widgets/demand_lines.py).

Only composition and display helpers live here; loading and saving are in deal_form.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from crm_tui.domain.enums import LABELS
from crm_tui.domain.formatting import show_moment, show_money
from crm_tui.domain.text import safe_display
from crm_tui.i18n import _
from crm_tui.store.repo_deals import Choice
from crm_tui.store.repo_deals_form import ChainItem, TimelineEntry

if TYPE_CHECKING:
    from crm_tui.widgets.partner_picker import PartnerSource


def text(value: str, style: str = "") -> Text:
    """User data as plain text (control characters made visible)."""
    return Text(safe_display(value), style=style)


def options(choices: Sequence[Choice]) -> list[tuple[Text, str]]:
    """Select options from choices, prompts as Text (never markup)."""
    return [(text(choice.name), choice.code) for choice in choices]


def field(label: str, widget_id: str) -> ComposeResult:
    yield Label(text(label), classes="field-label")
    yield Static("", id=f"err-{widget_id}", classes="field-error", markup=False)


def compose_main(partners: PartnerSource) -> ComposeResult:
    from crm_tui.widgets.partner_picker import PartnerPicker

    # One row per line of the form, left cell then right: Tab follows the rows (issue 22).
    with Vertical(id="main-grid"):
        with Horizontal(classes="form-row"):
            with Vertical(classes="form-cell"):
                yield Label(text(_("Name")), classes="field-label")
                yield Input(id="name")
                yield Static("", id="err-name", classes="field-error", markup=False)
            with Vertical(classes="form-cell"):
                yield Label(text(_("Deal kind")), classes="field-label")
                yield Select[str]([], id="kind", allow_blank=True, prompt=_("Choose"))
                yield Static("", id="err-kind", classes="field-error", markup=False)
        with Horizontal(classes="form-row"):
            with Vertical(classes="form-cell"):
                yield Label(text(_("Partner")), classes="field-label")
                yield PartnerPicker(source=partners, id="partner")
                yield Static("", id="err-partner", classes="field-error", markup=False)
            with Vertical(classes="form-cell"):
                yield Label(text(_("Manager")), classes="field-label")
                yield Select[str]([], id="manager", allow_blank=True, prompt=_("Choose"))
                yield Static("", id="err-manager", classes="field-error", markup=False)
        with Horizontal(classes="form-row"):
            with Vertical(classes="form-cell"):
                yield Label(text(_("Amount")), classes="field-label", id="amount-label")
                yield Input(id="amount", placeholder=show_money(Decimal(0)))
                yield Static("", id="err-amount", classes="field-error", markup=False)
            with Vertical(classes="form-cell"):
                yield Label(text(_("Agreement")), classes="field-label")
                yield Select[str]([], id="agreement", allow_blank=True, prompt=_("None"))
    yield Label(text(_("Notes")), classes="field-label")
    yield TextArea(id="notes")
    yield Static("", id="err-notes", classes="field-error", markup=False)


def compose_parties(partners: PartnerSource) -> ComposeResult:
    from crm_tui.widgets.partner_picker import PartnerPicker

    yield Label(text(_("Participants (Del removes the highlighted one)")), classes="field-label")
    yield OptionList(id="participants")
    with Horizontal(classes="row"):
        yield PartnerPicker(source=partners, id="participant-partner")
        yield Select[str]([], id="participant-role", prompt=_("Partner role"))
        yield Button(_("Add"), id="add-participant")
    yield Static("", id="err-participants", classes="field-error", markup=False)
    yield Label(text(_("Contact persons (Del removes the highlighted one)")),
                classes="field-label")
    yield OptionList(id="contacts")
    with Horizontal(classes="row"):
        yield Select[str]([], id="contact", prompt=_("Contact person"))
        yield Select[str]([], id="contact-role", prompt=_("Contact role"))
        yield Button(_("Add"), id="add-contact")
    yield Static("", id="err-contacts", classes="field-error", markup=False)


def compose_history() -> ComposeResult:
    with VerticalScroll():
        yield Static(Text(_("Stage history")), classes="field-label", markup=False)
        yield Static(Text(_("A new deal has no history yet.")), id="timeline", markup=False)
        yield Static(Text(_("Interactions about this deal (Ctrl+N creates one)")),
                     classes="field-label", markup=False)
        yield Static(Text(_("None")), id="chain", markup=False)


def _stamp(at: datetime) -> str:
    return show_moment(at)


def timeline_text(entries: Sequence[TimelineEntry], status: str, closed_at: datetime | None,
                  loss_reason: str | None) -> Text:
    """The stage history as a timeline, ending with the close when there is one."""
    result = Text()
    for position, entry in enumerate(entries):
        result.append("● " if position == len(entries) - 1 and status == "open" else "○ ")
        result.append(_stamp(entry.at), style="bold")
        result.append("  ")
        result.append(safe_display(entry.stage))
        if entry.user:
            result.append(f"  ({safe_display(entry.user)})", style="dim")
        result.append("\n")
    if closed_at is not None:
        result.append("■ ")
        result.append(_stamp(closed_at), style="bold")
        result.append("  " + _(LABELS.get(status, status)))
        if loss_reason:
            result.append(": " + safe_display(loss_reason))
        result.append("\n")
    if not entries and closed_at is None:
        result.append(_("No stage history (a non-process deal has no stages)."))
    return result


def chain_text(items: Sequence[ChainItem]) -> Text:
    """The interactions whose subject is the deal, oldest first."""
    if not items:
        return Text(_("None"))
    result = Text()
    for item in items:
        result.append(_stamp(item.at), style="bold")
        result.append(f"  {_(LABELS.get(item.kind, item.kind))}  ")
        result.append(safe_display(item.topic))
        result.append(f"  [{_(LABELS.get(item.status, item.status))}]\n", style="dim")
    return result


def pair_option(name: str, role: str) -> Option:
    line = text(name)
    line.append(" — ")
    line.append(safe_display(role), style="italic")
    return Option(line)
