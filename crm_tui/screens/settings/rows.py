"""The rows of the Settings section: which settings it shows, in which groups, how each
value reads in the list, and how a typed text becomes the change to save."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from crm_tui.domain.errors import ValidationError
from crm_tui.i18n import N_, _

RowKind = Literal["switch", "choice", "number", "text", "secret"]
# "office": a database setting, the same for everyone (administrators change it);
# "user": the user's own, kept by crm_tui.credentials on this OS account (anyone changes theirs).
Scope = Literal["office", "user"]

CHOICE_LABELS: dict[str, str] = {
    "offline": N_("Offline registry file"),
    "dadata": N_("DaData (token)"),
    "starttls": N_("STARTTLS"),
    "ssl": N_("SSL/TLS"),
    "none": N_("No encryption"),
}


@dataclass(frozen=True)
class SettingRow:
    """One setting as the list shows it. `key` is the row's id: a stored setting's key, or
    work_start / work_end, the two halves of the stored working_hours."""

    key: str
    label: str  # an English source string, translated when shown
    kind: RowKind
    scope: Scope = "office"


GROUPS: tuple[tuple[str, tuple[SettingRow, ...]], ...] = (
    (N_("Claims and settlements"), (
        SettingRow("claims_enabled", N_("Record customer claims"), "switch"),
        SettingRow("claims_post_with_open_tasks",
                   N_("Allow posting a claim whose action plan has open tasks"), "switch"),
        SettingRow("currency", N_("Company currency (ISO code)"), "text"),
        SettingRow("attachment_limit_mb", N_("Attachment size limit, MB"), "number"),
    )),
    (N_("Organizer"), (
        SettingRow("default_snooze_minutes", N_("Default snooze, minutes"), "number"),
        SettingRow("work_start", N_("Working day starts at (hour)"), "number"),
        SettingRow("work_end", N_("Working day ends at (hour)"), "number"),
        SettingRow("reminder_bell", N_("Reminders ring the terminal bell"), "switch"),
        SettingRow("desktop_quiet_days",
                   N_("Home: deals without an interaction for, days"), "number"),
        SettingRow("desktop_stage_days", N_("Home: deals in one stage for, days"), "number"),
    )),
    (N_("Autofill of partner details"), (
        SettingRow("autofill_provider", N_("Autofill provider"), "choice"),
        SettingRow("autofill_registry_path", N_("Offline registry file"), "text"),
    )),
    (N_("E-mail (SMTP)"), (
        SettingRow("smtp_host", N_("SMTP host"), "text"),
        SettingRow("smtp_port", N_("SMTP port"), "number"),
        SettingRow("smtp_security", N_("SMTP security"), "choice"),
        SettingRow("mail_fetch_minutes", N_("Fetch incoming mail every, minutes (0: off)"),
                   "number"),
        SettingRow("mail_mark_read", N_("Mark fetched mail as read on the server"), "switch"),
    )),
    (N_("Yours only: mail accounts and keys (kept on this computer account)"), (
        SettingRow("smtp_login", N_("Your SMTP login"), "text", "user"),
        SettingRow("smtp_password", N_("Your SMTP password"), "secret", "user"),
        SettingRow("smtp_from", N_("Your sender address"), "text", "user"),
        SettingRow("imap_host", N_("Your IMAP server"), "text", "user"),
        SettingRow("imap_port", N_("Your IMAP port"), "number", "user"),
        SettingRow("imap_security", N_("Your IMAP security"), "choice", "user"),
        SettingRow("imap_login", N_("Your IMAP login"), "text", "user"),
        SettingRow("imap_password", N_("Your IMAP password"), "secret", "user"),
        SettingRow("imap_folder", N_("Your IMAP folder"), "text", "user"),
        SettingRow("dadata_token", N_("Your DaData token"), "secret", "user"),
    )),
)
ROWS: dict[str, SettingRow] = {row.key: row for _title, rows in GROUPS for row in rows}
_HOURS = ("work_start", "work_end")


def current(row: SettingRow, values: dict[str, Any]) -> Any:
    """The row's value in the stored settings."""
    if row.key in _HOURS:
        hours = values.get("working_hours") or [None, None]
        return hours[_HOURS.index(row.key)]
    return values.get(row.key)


def shown(row: SettingRow, values: dict[str, Any]) -> str:
    """How the row's value reads in the list (secrets never in clear: only set or not)."""
    value = current(row, values)
    if row.kind == "secret":
        return _("set") if value else _("not set")
    if row.kind == "switch":
        return _("On") if value else _("Off")
    if row.kind == "choice":
        return _(CHOICE_LABELS[value]) if value in CHOICE_LABELS else str(value or "")
    if value in (None, ""):
        return _("(not set)")
    return str(value)


def editable_text(row: SettingRow, values: dict[str, Any]) -> str:
    """The text an editor starts with (never a secret's)."""
    if row.kind == "secret":
        return ""
    value = current(row, values)
    return "" if value is None else str(value)


def change_for(row: SettingRow, text: str, values: dict[str, Any]) -> dict[str, Any]:
    """The settings to save for `text` typed into the row's editor (ValidationError, naming
    the field, when a number is not one). The store validates the values themselves."""
    if row.kind != "number":
        return {row.key: text}
    if not text.strip().isdigit():
        raise ValidationError(_("{field}: enter a whole number").format(field=_(row.label)),
                              field=row.key)
    number = int(text)
    if row.key in _HOURS:
        hours = list(values.get("working_hours") or [9, 18])
        hours[_HOURS.index(row.key)] = number
        return {"working_hours": hours}
    return {row.key: number}
