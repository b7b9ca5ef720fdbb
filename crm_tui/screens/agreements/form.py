"""The agreement form: create or edit an agreement; an individual one may be based on a
typical one (its terms are copied, then edited). The payment schedule's total is checked
as the user types."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from crm_tui.domain.agreements import (
    AgreementDraft,
    PaymentLine,
    parse_day,
    parse_days,
    parse_percent,
    schedule_problem,
    schedule_total,
)
from crm_tui.domain.enums import LABELS, AgreementKind, AgreementStatus
from crm_tui.domain.errors import ConflictError, DomainError, NotFoundError, ValidationError
from crm_tui.domain.formatting import date_hint, show_date
from crm_tui.domain.merge import fields_of
from crm_tui.domain.text import safe_display
from crm_tui.i18n import N_, _
from crm_tui.screens.shell.base import CrmScreen
from crm_tui.store.partner_lookup import PartnerLookup
from crm_tui.widgets.header import AppHeader
from crm_tui.widgets.key_bar import KeyBar
from crm_tui.widgets.partner_picker import PartnerPicker
from crm_tui.widgets.unsaved import ask_save_changes

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm_tui.store.repo_agreements import AgreementDetail


@dataclass(frozen=True)
class Loaded:
    """What the form starts from: the draft, the record's version, the price types."""

    draft: AgreementDraft
    version: int | None
    price_types: list[tuple[str, str]]  # (name, code)
    based_on_name: str | None


class PaymentLineRow(Horizontal):
    """One schedule line: percent and days after shipment."""


    def __init__(self, line: PaymentLine | None = None) -> None:
        super().__init__(classes="payment-line")
        self.line = line

    def compose(self) -> ComposeResult:
        yield Input(str(self.line.percent) if self.line else "", classes="percent",
                    placeholder="%", restrict=r"[0-9]*", max_length=3)
        yield Label(_("% after"))
        yield Input(str(self.line.days) if self.line else "0", classes="days",
                    restrict=r"[0-9]*", max_length=4)
        yield Label(_("days after shipment"))


class AgreementFormScreen(CrmScreen[str | None]):
    """Create (agreement_key None) or edit an agreement; `based_on` copies a typical one.

    Dismisses with the saved agreement's key, or None when the user goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="agreement.save", priority=True),
        Binding("ctrl+n", "add_line", N_("Add payment line"), id="agreement.add_line"),
        Binding("ctrl+r", "remove_line", N_("Remove payment line"), id="agreement.remove_line"),
        Binding("escape", "back", N_("Back"), id="agreement.back"),
    ]
    CSS_PATH = "agreements.tcss"

    def __init__(self, agreement_key: str | None = None, partner_key: str | None = None,
                 based_on: str | None = None) -> None:
        super().__init__()
        self.agreement_key = agreement_key
        self.partner_key = partner_key or None
        self.based_on = based_on
        self.version: int | None = None
        self.loaded: tuple[object, ...] | None = None  # the raw input as opened
        self.base: dict[str, Any] | None = None  # the saved fields as opened (for a merge)
        self._price_names: dict[str, str] = {}

    # ----------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        title = (_("Agreement {key}").format(key=self.agreement_key) if self.agreement_key
                 else _("New agreement"))
        yield AppHeader(title)
        with VerticalScroll(id="form-body"):
            yield Label(_("Name"), classes="field-label")
            yield Input(id="name", max_length=200)
            with Horizontal(classes="pair"):
                with Vertical():
                    yield Label(_("Kind"), classes="field-label")
                    yield Select([(Text(_(LABELS[k.value])), k.value) for k in AgreementKind],
                                 allow_blank=False, id="kind")
                with Vertical():
                    yield Label(_("Status"), classes="field-label")
                    yield Select([(Text(_(LABELS[s.value])), s.value) for s in AgreementStatus],
                                 allow_blank=False, id="status")
                with Vertical():
                    yield Label(_("Price type"), classes="field-label")
                    yield Select([], prompt=_("No price type"), id="price_type")
            yield Label(_("Partner (individual agreements only)"), classes="field-label",
                        id="partner-label")
            yield PartnerPicker(self.partner_key, source=PartnerLookup(self.app), id="partner")
            yield Static(Text(""), id="based-on", markup=False)
            with Horizontal(classes="pair"):
                with Vertical():
                    yield Label(_("Valid from ({hint})").format(hint=date_hint()),
                                classes="field-label")
                    yield Input(id="valid_from", max_length=10)
                with Vertical():
                    yield Label(_("Valid to ({hint})").format(hint=date_hint()),
                                classes="field-label")
                    yield Input(id="valid_to", max_length=10)
            yield Label(_("Payment schedule (Ctrl+N adds a line, Ctrl+R removes one)"),
                        classes="field-label")
            yield Vertical(id="schedule")
            yield Static(Text(""), id="schedule-total", markup=False)
            yield Static(Text(""), id="form-error", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()
        self.load()

    # ----------------------------------------------------------- loading
    def load(self) -> None:
        if self.crm.db is None:
            return
        self.load_data(self._read, self._show, on_error=lambda error: self._failed(str(error)))

    def _read(self, session: Session) -> Loaded:
        """What the form shows (runs in the load's worker thread)."""
        from crm_tui.store.repo_agreements import draft_from_typical, get_agreement
        from crm_tui.store.repo_classifiers import list_values

        prices = [(v.name, v.code) for v in list_values(session, "price_type")
                  if not v.archived]
        version: int | None = None
        based_on_name: str | None = None
        if self.agreement_key:
            detail = get_agreement(session, self.agreement_key)
            draft, version, based_on_name = (detail.draft, detail.version,
                                             detail.based_on_name)
            if draft.price_type and draft.price_type not in {c for _n, c in prices}:
                prices.append((draft.price_type, draft.price_type))
        elif self.based_on:
            draft = draft_from_typical(session, self.based_on, self.partner_key)
            based_on_name = get_agreement(session, self.based_on).draft.name
        else:
            kind = AgreementKind.INDIVIDUAL if self.partner_key is not None \
                else AgreementKind.TYPICAL
            draft = AgreementDraft(name="", kind=kind.value, partner_key=self.partner_key,
                                   schedule=(PaymentLine(100, 0),))
        return Loaded(draft, version, prices, based_on_name)

    def _failed(self, message: str) -> None:
        self.notify(message, severity="error", markup=False)
        self.dismiss(None)

    async def _show(self, loaded: Loaded) -> None:
        draft = loaded.draft
        self.version = loaded.version
        self.base = _values(draft)
        # A stored control character must not reach the terminal (saving cleans it up).
        self.query_one("#name", Input).value = safe_display(draft.name)
        self.query_one("#kind", Select).value = draft.kind
        self.query_one("#status", Select).value = draft.status
        prices: Select[str] = self.query_one("#price_type", Select)
        prices.set_options([(Text(name), code) for name, code in loaded.price_types])
        self._price_names = {code: name for name, code in loaded.price_types}
        if draft.price_type:
            prices.value = draft.price_type
        picker = self.query_one(PartnerPicker)
        if draft.partner_key and draft.partner_key != picker.partner_key:
            picker.partner_key = draft.partner_key
            picker.on_mount()
        self.query_one("#valid_from", Input).value = show_date(draft.valid_from)
        self.query_one("#valid_to", Input).value = show_date(draft.valid_to)
        self.based_on = draft.based_on
        if draft.based_on:
            self.query_one("#based-on", Static).update(Text(
                _("Based on the typical agreement {key} «{name}»").format(
                    key=safe_display(draft.based_on),
                    name=safe_display(loaded.based_on_name or ""))))
        schedule = self.query_one("#schedule")
        # Awaited: the snapshot below reads the rows' inputs, which exist only once mounted
        # (on a loaded machine the refresh callback could run first: CI saw that).
        await schedule.remove_children()
        await schedule.mount_all([PaymentLineRow(line) for line in draft.schedule])
        self._after_show()

    def _after_show(self) -> None:
        self._sync_kind()
        self._update_total()
        self.loaded = self._snapshot()

    # ----------------------------------------------------------- live checks
    def _sync_kind(self) -> None:
        individual = self.query_one("#kind", Select).value == AgreementKind.INDIVIDUAL
        self.query_one(PartnerPicker).display = individual
        self.query_one("#partner-label").display = individual

    @on(Select.Changed, "#kind")
    def _kind_changed(self) -> None:
        self._sync_kind()

    @on(Input.Changed, ".percent")
    @on(Input.Changed, ".days")
    def _line_changed(self) -> None:
        self._update_total()

    def _lines(self) -> tuple[list[PaymentLine], str | None]:
        """The schedule as typed, and the first problem typing it."""
        lines: list[PaymentLine] = []
        for number, row in enumerate(self.query(PaymentLineRow), 1):
            try:
                lines.append(PaymentLine(parse_percent(row.query_one(".percent", Input).value),
                                         parse_days(row.query_one(".days", Input).value)))
            except ValidationError as error:
                return lines, _("line {n}: {problem}").format(n=number, problem=error)
        return lines, None

    def _update_total(self) -> None:
        lines, typing_problem = self._lines()
        problem = typing_problem or schedule_problem(lines)
        total = _("Total: {total}%").format(total=schedule_total(lines))
        text = Text(total, style="bold green" if problem is None else "bold red")
        if problem:
            text.append(" — " + problem)
        self.query_one("#schedule-total", Static).update(text)

    # ----------------------------------------------------------- collecting
    def _snapshot(self) -> tuple[object, ...]:
        """Everything typed, raw, to notice unsaved changes."""
        return (
            self.query_one("#name", Input).value, self.query_one("#kind", Select).value,
            self.query_one("#status", Select).value, self.query_one("#price_type", Select).value,
            self.query_one(PartnerPicker).partner_key,
            self.query_one("#valid_from", Input).value, self.query_one("#valid_to", Input).value,
            tuple((row.query_one(".percent", Input).value, row.query_one(".days", Input).value)
                  for row in self.query(PaymentLineRow)),
        )

    def is_dirty(self) -> bool:
        return self.loaded is not None and self._snapshot() != self.loaded

    def collect(self) -> AgreementDraft:
        """The draft as typed; ValidationError on the first field that does not parse."""
        lines, problem = self._lines()
        if problem:
            raise ValidationError(problem, field="payment_schedule")
        kind = str(self.query_one("#kind", Select).value)
        price = self.query_one("#price_type", Select).value
        return AgreementDraft(
            name=self.query_one("#name", Input).value, kind=kind,
            partner_key=(self.query_one(PartnerPicker).partner_key
                         if kind == AgreementKind.INDIVIDUAL else None),
            price_type=None if price == Select.NULL else str(price),
            schedule=tuple(lines),
            valid_from=parse_day(self.query_one("#valid_from", Input).value, "valid_from"),
            valid_to=parse_day(self.query_one("#valid_to", Input).value, "valid_to"),
            status=str(self.query_one("#status", Select).value),
            based_on=self.based_on if kind == AgreementKind.INDIVIDUAL else None,
        )

    def _error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(Text(message))
        if message:
            self.notify(message, severity="error", markup=False)

    # ----------------------------------------------------------- actions
    async def action_add_line(self) -> None:
        lines, _problem = self._lines()
        rest = max(100 - schedule_total(lines), 0)
        row = PaymentLineRow(PaymentLine(rest, 0) if rest else None)
        await self.query_one("#schedule").mount(row)  # its inputs exist once awaited
        row.query_one(".percent", Input).focus()
        self._update_total()

    def action_remove_line(self) -> None:
        rows = list(self.query(PaymentLineRow))
        if not rows:
            return
        focused = self.focused
        target = next((row for row in rows
                       if focused is not None and row in focused.ancestors), rows[-1])
        target.remove()
        self.call_after_refresh(self._update_total)

    def action_save(self, then: Callable[[], Any] | None = None) -> None:
        try:
            draft = self.collect()
        except ValidationError as error:
            self._error(str(error))
            return
        self._error("")
        self.save(draft, self.version, then)

    # ------------------------------------------ unsaved input, conflicts (widgets/unsaved.py)
    def has_unsaved_changes(self) -> bool:
        return self.is_dirty()

    def save_changes(self, then: Callable[[], Any]) -> None:
        self.action_save(then)

    @work(thread=True, exclusive=True, group="agreement-form-save")
    def save(self, draft: AgreementDraft, version: int | None,
             then: Callable[[], Any] | None = None, as_new: bool = False) -> None:
        from crm_tui.store.repo_agreements import create_agreement, get_agreement, update_agreement

        database = getattr(self.app, "db", None)
        if database is None:
            return
        key = None if as_new else self.agreement_key
        try:
            with database.write() as session:
                if key is None:
                    key = create_agreement(session, draft)
                else:
                    update_agreement(session, key, version or 1, draft)
        except (ConflictError, NotFoundError) as error:
            if key is None:
                self.app.call_from_thread(self._error, str(error))
                return
            try:
                with database.read() as session:
                    theirs: AgreementDetail | None = get_agreement(session, key)
            except NotFoundError:
                theirs = None
            self.app.call_from_thread(self._conflict, draft, theirs, then)
            return
        except DomainError as error:
            self.app.call_from_thread(self._error, str(error))
            return
        self.app.call_from_thread(self._saved, key, then)

    def _saved(self, key: str, then: Callable[[], Any] | None = None) -> None:
        self.loaded = None  # saved: nothing unsaved any more
        self.notify(_("Agreement {key} saved").format(key=key), markup=False)
        self.dismiss(key)
        if then is not None:
            then()

    def _conflict(self, mine: AgreementDraft, theirs: AgreementDetail | None,
                  then: Callable[[], Any] | None) -> None:
        """Someone saved (or deleted) the agreement since it was opened: merge the fields
        (the payment lines row by row)."""
        from crm_tui.widgets.conflict_dialog import resolve_conflict

        their_values = _values(theirs.draft) if theirs is not None else None

        def merged(values: dict[str, Any]) -> None:
            assert theirs is not None and their_values is not None
            self.base, self.version = their_values, theirs.version
            self.save(AgreementDraft(**values), theirs.version, then)

        def reload() -> None:
            if theirs is None:
                self.loaded = None
                self.dismiss(None)
            else:
                self.load()

        assert self.base is not None
        resolve_conflict(self.app, self.base, their_values, _values(mine), _field_labels(),
                         self._show_value, merged=merged, reload=reload,
                         new=lambda: self.save(mine, None, then, as_new=True),
                         row_keys={"schedule": lambda line: line})

    def _show_value(self, name: str, value: Any) -> str:
        if value is None:
            return ""
        if name in ("kind", "status"):
            return _(LABELS.get(value, value))
        if name == "price_type":
            return self._price_names.get(value, str(value))
        if name == "schedule":
            return "; ".join(_("{percent}% after {days} days").format(
                percent=line.percent, days=line.days) for line in value)
        if isinstance(value, date):
            return show_date(value)
        return str(value)

    def action_back(self) -> None:
        ask_save_changes(self, lambda: self.dismiss(None))


def _values(draft: AgreementDraft) -> dict[str, Any]:
    """An agreement's fields to compare and merge (the name trimmed as it is saved)."""
    return {**fields_of(draft), "name": draft.name.strip()}


def _field_labels() -> dict[str, str]:
    return {"name": _("Name"), "kind": _("Kind"), "partner_key": _("Partner"),
            "price_type": _("Price type"), "schedule": _("Payment schedule"),
            "valid_from": _("Valid from"), "valid_to": _("Valid to"), "status": _("Status"),
            "based_on": _("Based on")}
