"""The partner card's details tab: name, region, roles, manager, comment (saved with a
version check; a conflict is merged field by field, see widgets/conflict_dialog.py)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from crm_tui.domain.enums import LABELS as LABELS_OF_ROLES
from crm_tui.domain.enums import PARTNER_ROLE_BITS
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
                # Compact: four bordered boxes did not fit 80 columns beside the label.
                yield Checkbox(_(LABELS_OF_ROLES[role.value]), id=f"details-role-{role.value}",
                               compact=True)
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
        inn = _("INN")
        legal = "; ".join(f"{c.short_name} {inn} {c.inn}" for c in view.counterparties)
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


def field_labels() -> dict[str, str]:
    """The details fields' labels in the UI language."""
    return {"name": _("Name"), "region_id": _("Region"), "manager_id": _("Manager"),
            "roles": _("Roles"), "comment": _("Comment")}


def view_values(view: PartnerView) -> dict[str, Any]:
    """The details of a saved partner, as DetailsPane.values() gives them."""
    return {"name": view.name, "region_id": view.region_id, "manager_id": view.manager_id,
            "roles": view.roles, "comment": view.comment}


def normalised(values: dict[str, Any]) -> dict[str, Any]:
    """Values as saved (trimmed text, roles in one order), to compare and merge."""
    return {**values, "name": str(values["name"]).strip(),
            "comment": str(values["comment"]).strip(), "roles": tuple(sorted(values["roles"]))}


def show_value(name: str, value: Any, regions: list[Choice], managers: list[Choice]) -> str:
    """A details value as the user reads it (names, not ids)."""
    if name in ("region_id", "manager_id"):
        choices = regions if name == "region_id" else managers
        return next((c.name for c in choices if c.id == value), "") if value is not None else ""
    if name == "roles":
        return ", ".join(_(LABELS_OF_ROLES[r]) for r in value)
    return "" if value is None else str(value)
