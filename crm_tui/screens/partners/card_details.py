"""The partner card's details tab: name, region, roles, manager, comment (saved with a
version check; a conflict offers reload or re-apply)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from crm_tui.domain.enums import LABELS, PARTNER_ROLE_BITS
from crm_tui.domain.text import safe_display
from crm_tui.i18n import _
from crm_tui.store.repo_partners_read import Choice, PartnerView


class DetailsPane(VerticalScroll):
    """Editable details of one partner."""


    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label(_("Name"))
            yield Input(id="details-name")
        with Horizontal(classes="row"):
            yield Label(_("Region"))
            yield Select[int]([], prompt=_("No region"), id="details-region")
        with Horizontal(classes="row"):
            yield Label(_("Manager"))
            yield Select[int]([], prompt=_("No manager"), id="details-manager")
        with Horizontal(classes="row"):
            yield Label(_("Roles"))
            for role in PARTNER_ROLE_BITS:
                yield Checkbox(_(LABELS[role.value]), id=f"details-role-{role.value}")
        with Horizontal(classes="row"):
            yield Label(_("Comment"))
            yield TextArea(id="details-comment")
        yield Static("", id="details-error", markup=False)
        yield Static("", id="details-legal", markup=False)

    def show(self, view: PartnerView, regions: list[Choice], managers: list[Choice]) -> None:
        """Fill the fields from `view` (replacing any unsaved input)."""
        self.query_one("#details-name", Input).value = safe_display(view.name)
        region = self.query_one("#details-region", Select)
        region.set_options([(Text(c.name), c.id) for c in regions])
        region.value = view.region_id if view.region_id is not None else Select.NULL
        manager = self.query_one("#details-manager", Select)
        manager.set_options([(Text(c.name), c.id) for c in managers])
        manager.value = view.manager_id if view.manager_id is not None else Select.NULL
        for role in PARTNER_ROLE_BITS:
            self.query_one(f"#details-role-{role.value}", Checkbox).value = role.value in view.roles
        self.query_one("#details-comment", TextArea).text = view.comment
        legal = "; ".join(f"{c.short_name} {_('INN')} {c.inn}" for c in view.counterparties)
        self.query_one("#details-legal", Static).update(Text(safe_display(legal)))
        self.show_error("")

    def values(self) -> dict[str, Any]:
        """The edited values, as update_partner takes them."""
        region = self.query_one("#details-region", Select).value
        manager = self.query_one("#details-manager", Select).value
        return {
            "name": self.query_one("#details-name", Input).value,
            "region_id": None if region is Select.NULL else region,
            "manager_id": None if manager is Select.NULL else manager,
            "roles": tuple(r.value for r in PARTNER_ROLE_BITS
                           if self.query_one(f"#details-role-{r.value}", Checkbox).value),
            "comment": self.query_one("#details-comment", TextArea).text,
        }

    def show_error(self, message: str) -> None:
        self.query_one("#details-error", Static).update(Text(message))


def conflict_changes(theirs: PartnerView, yours: dict[str, Any], regions: list[Choice],
                     managers: list[Choice]) -> list[tuple[str, str, str]]:
    """Every details field whose saved value (theirs) differs from the edit (yours), as
    (label, theirs, yours) display strings for the ConflictDialog."""
    def name_of(choices: list[Choice], value: int | None) -> str:
        return next((c.name for c in choices if c.id == value), "") if value is not None else ""

    def roles(values: Any) -> str:
        return ", ".join(_(LABELS[r]) for r in values)

    pairs = [
        (_("Name"), theirs.name, str(yours["name"]).strip()),
        (_("Region"), theirs.region, name_of(regions, yours["region_id"])),
        (_("Manager"), theirs.manager, name_of(managers, yours["manager_id"])),
        (_("Roles"), roles(theirs.roles), roles(yours["roles"])),
        (_("Comment"), theirs.comment, str(yours["comment"]).strip()),
    ]
    return [(label, safe_display(a), safe_display(b)) for label, a, b in pairs if a != b]
