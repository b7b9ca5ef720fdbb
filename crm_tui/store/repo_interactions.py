"""Interactions: read one, create, edit, mark done, snooze, subject chains.

The inbox and calendar queries live in repo_interactions_lists.py."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, or_, select
from sqlmodel import Session, SQLModel

from crm_tui.domain.enums import InteractionStatus
from crm_tui.domain.errors import NotFoundError, ValidationError
from crm_tui.domain.interactions import (
    SUBJECT_LABELS,
    InteractionDraft,
    SubjectRef,
    chain_subject,
    follow_up_subject,
    new_subject_for_member,
    validate_draft,
)
from crm_tui.i18n import _
from crm_tui.store import audit
from crm_tui.store.keys import next_key
from crm_tui.store.permissions import check_can_edit
from crm_tui.store.users import ensure_current_user
from crm_tui.store.versioning import update_versioned


def _t(name: str) -> Table:
    return SQLModel.metadata.tables[name]


SUBJECT_COLUMNS = {"deal": "subject_deal_id", "claim": "subject_claim_id",
                   "interaction": "subject_interaction_id"}
# Stored columns that a draft writes (the draft's keys are resolved to ids).
PLAIN_FIELDS = ("kind", "topic", "at", "end", "status", "direction", "review_after", "text",
                "place", "attendees", "phone", "duration_s", "email_from", "email_to")


@dataclass(frozen=True)
class InteractionView:
    """One interaction as the form and the inbox show it."""

    id: int
    key: str
    kind: str
    topic: str
    at: datetime
    status: str
    version: int
    partner_key: str | None = None
    partner_name: str | None = None
    contact_key: str | None = None
    contact_name: str | None = None
    manager_id: int | None = None
    manager_login: str | None = None
    manager_name: str | None = None
    subject: SubjectRef | None = None
    subject_title: str | None = None
    review_after: datetime | None = None
    end: datetime | None = None
    place: str | None = None
    attendees: str | None = None
    direction: str | None = None
    phone: str | None = None
    duration_s: int | None = None
    email_from: str | None = None
    email_to: str | None = None
    text: str | None = None
    message_id: str | None = None

    def draft(self) -> InteractionDraft:
        """The editable fields as a draft (what the form starts from)."""
        names = {f.name for f in fields(InteractionDraft)}
        return InteractionDraft(**{n: getattr(self, n) for n in names})


@dataclass(frozen=True)
class ChainItem:
    """One interaction of a subject chain."""

    key: str
    kind: str
    topic: str
    at: datetime
    status: str
    partner_name: str | None
    manager_name: str | None
    is_root: bool


# --------------------------------------------------------------------------- lookups
def _id_of(session: Session, table: str, key: str, label: str) -> int:
    t = _t(table)
    found = session.execute(select(t.c.id).where(t.c.key == key)).scalar()
    if found is None:
        raise NotFoundError(_("{what} {key} does not exist").format(what=label, key=key))
    return int(found)


def _subject_id(session: Session, subject: SubjectRef) -> int:
    return _id_of(session, subject.kind, subject.key, _(SUBJECT_LABELS[subject.kind]))


def _key_of(session: Session, table: str, row_id: int | None) -> str | None:
    if row_id is None:
        return None
    t = _t(table)
    return session.execute(select(t.c.key).where(t.c.id == row_id)).scalar()


def subject_title(session: Session, subject: SubjectRef) -> str | None:
    """A one-line title of a subject: its key and name/topic/description."""
    t = _t(subject.kind)
    column = {"deal": "name", "claim": "description", "interaction": "topic"}[subject.kind]
    value = session.execute(select(t.c[column]).where(t.c.key == subject.key)).scalar()
    if value is None:
        return None
    return f"{subject.key} {str(value).splitlines()[0] if value else ''}".strip()


def subject_of_row(session: Session, row: Any) -> SubjectRef | None:
    """The subject a stored interaction row names, as a SubjectRef."""
    for kind, column in SUBJECT_COLUMNS.items():
        row_id = getattr(row, column)
        if row_id is not None:
            key = _key_of(session, kind, row_id)
            if key is not None:
                return SubjectRef(kind, key)
    return None


def get_interaction(session: Session, key: str) -> InteractionView:
    """The interaction with `key` (NotFoundError if none)."""
    t, partner, contact, user = _t("interaction"), _t("partner"), _t("contact"), _t("app_user")
    statement = (
        select(t, partner.c.key.label("p_key"), partner.c.name.label("p_name"),
               contact.c.key.label("c_key"), contact.c.name.label("c_name"),
               user.c.login.label("u_login"), user.c.name.label("u_name"))
        .select_from(t.outerjoin(partner, partner.c.id == t.c.partner_id)
                     .outerjoin(contact, contact.c.id == t.c.contact_id)
                     .outerjoin(user, user.c.id == t.c.manager_id))
        .where(t.c.key == key)
    )
    row = session.execute(statement).first()
    if row is None:
        raise NotFoundError(_("interaction {key} does not exist").format(key=key))
    subject = subject_of_row(session, row)
    return InteractionView(
        id=row.id, key=row.key, kind=row.kind, topic=row.topic, at=row.at, status=row.status,
        version=row.version, partner_key=row.p_key, partner_name=row.p_name,
        contact_key=row.c_key, contact_name=row.c_name, manager_id=row.manager_id,
        manager_login=row.u_login, manager_name=row.u_name, subject=subject,
        subject_title=subject_title(session, subject) if subject else None,
        review_after=row.review_after, end=row.end, place=row.place, attendees=row.attendees,
        direction=row.direction, phone=row.phone, duration_s=row.duration_s,
        email_from=row.email_from, email_to=row.email_to, text=row.text,
        message_id=row.message_id,
    )


def _values(session: Session, draft: InteractionDraft, own_key: str | None) -> dict[str, Any]:
    """The stored columns of a validated draft (keys resolved to ids)."""
    values: dict[str, Any] = {name: getattr(draft, name) for name in PLAIN_FIELDS}
    values["partner_id"] = (_id_of(session, "partner", draft.partner_key, _("partner"))
                            if draft.partner_key else None)
    values["contact_id"] = (_id_of(session, "contact", draft.contact_key, _("contact"))
                            if draft.contact_key else None)
    if draft.manager_login:
        user = _t("app_user")
        manager = session.execute(select(user.c.id).where(user.c.login == draft.manager_login))
        manager_id = manager.scalar()
        if manager_id is None:
            raise NotFoundError(_("user {login} does not exist").format(login=draft.manager_login))
        values["manager_id"] = manager_id
    else:
        values["manager_id"] = ensure_current_user(session).id
    for column in SUBJECT_COLUMNS.values():
        values[column] = None
    if draft.subject is not None:
        if draft.subject.kind == "interaction" and draft.subject.key == own_key:
            raise ValidationError(_("an interaction cannot be its own subject"), field="subject")
        values[SUBJECT_COLUMNS[draft.subject.kind]] = _subject_id(session, draft.subject)
    return values


def _audit_values(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Columns as the change history shows them (ids as keys)."""
    shown = {name: values.get(name) for name in PLAIN_FIELDS}
    shown["partner"] = _key_of(session, "partner", values.get("partner_id"))
    shown["contact"] = _key_of(session, "contact", values.get("contact_id"))
    shown["manager"] = values.get("manager_id")
    for kind, column in SUBJECT_COLUMNS.items():
        key = _key_of(session, kind, values.get(column))
        if key is not None:
            shown["subject"] = f"{kind}:{key}"
    shown.setdefault("subject", None)
    return shown


# ---------------------------------------------------------------------------- writes
def create_interaction(session: Session, draft: InteractionDraft,
                       follow_up_of: str | None = None) -> str:
    """Insert a new interaction; return its key.

    With `follow_up_of`, the new one joins that interaction's chain (its subject, or that
    interaction itself when it has none), whatever subject the draft names."""
    draft = validate_draft(draft)
    if follow_up_of is not None:
        parent = get_interaction(session, follow_up_of)
        draft = replace(draft, subject=follow_up_subject(parent.key, parent.subject))
    key = next_key(session, "interaction")
    values = _values(session, draft, key)
    check_can_edit(session, values["manager_id"])
    table = _t("interaction")
    session.execute(table.insert().values(key=key, version=1, **values))
    audit.record(session, "interaction", key, "insert",
                 {name: (None, value) for name, value in _audit_values(session, values).items()})
    return key


def update_interaction(session: Session, key: str, seen_version: int,
                       draft: InteractionDraft) -> int:
    """Save an edited interaction; return its new version.

    Changing the subject here moves the whole chain (see change_chain_subject)."""
    draft = validate_draft(draft)
    current = get_interaction(session, key)
    check_can_edit(session, current.manager_id)
    if draft.subject != current.subject:
        seen_version = change_chain_subject(session, key, seen_version, draft.subject)
        draft = replace(draft, subject=get_interaction(session, key).subject)
    values = _values(session, draft, key)
    table = _t("interaction")
    old_row = session.execute(select(table).where(table.c.id == current.id)).one()
    old = _audit_values(session, dict(old_row._mapping))
    version = update_versioned(session, "interaction", current.id, seen_version, values)
    new = _audit_values(session, values)
    audit.record(session, "interaction", key, "update",
                 {name: (old.get(name), new[name]) for name in new})
    return version


def _set_fields(session: Session, key: str, seen_version: int, values: dict[str, Any]) -> int:
    current = get_interaction(session, key)
    check_can_edit(session, current.manager_id)
    old = {name: getattr(current, name) for name in values}
    version = update_versioned(session, "interaction", current.id, seen_version, values)
    audit.record(session, "interaction", key, "update",
                 {name: (old[name], values[name]) for name in values})
    return version


def mark_done(session: Session, key: str, seen_version: int) -> int:
    """Mark an interaction done (its snooze is dropped)."""
    return _set_fields(session, key, seen_version,
                       {"status": InteractionStatus.DONE.value, "review_after": None})


def reopen(session: Session, key: str, seen_version: int) -> int:
    """Put a done interaction back in progress."""
    return _set_fields(session, key, seen_version, {"status": InteractionStatus.IN_PROGRESS.value})


def snooze(session: Session, key: str, seen_version: int, until: datetime) -> int:
    """Hide an in-progress interaction from the inbox until `until`."""
    return _set_fields(session, key, seen_version, {"review_after": until})


def record_message_id(session: Session, key: str, seen_version: int, message_id: str) -> int:
    """Record the Message-ID an e-mail is about to be sent with (replies thread by it)."""
    return _set_fields(session, key, seen_version, {"message_id": message_id})


def set_message_id(session: Session, key: str, seen_version: int, message_id: str) -> int:
    """Record the Message-ID of a sent e-mail and mark it done."""
    return _set_fields(session, key, seen_version,
                       {"message_id": message_id, "status": InteractionStatus.DONE.value,
                        "review_after": None})


# ---------------------------------------------------------------------------- chains
def _subject_filter(session: Session, subject: SubjectRef) -> Any:
    t = _t("interaction")
    subject_id = _subject_id(session, subject)
    condition = t.c[SUBJECT_COLUMNS[subject.kind]] == subject_id
    if subject.kind == "interaction":
        condition = or_(condition, t.c.id == subject_id)
    return condition


def chain_count(session: Session, subject: SubjectRef) -> int:
    """How many interactions the chain of `subject` holds."""
    t = _t("interaction")
    statement = select(func.count()).select_from(t).where(_subject_filter(session, subject))
    return int(session.execute(statement).scalar() or 0)


def chain(session: Session, subject: SubjectRef, limit: int = 2000,
          offset: int = 0) -> list[ChainItem]:
    """The interactions of a subject (with the subject itself when it is one), oldest first."""
    t, partner, user = _t("interaction"), _t("partner"), _t("app_user")
    statement = (
        select(t.c.key, t.c.kind, t.c.topic, t.c.at, t.c.status,
               partner.c.name.label("p_name"), user.c.name.label("u_name"))
        .select_from(t.outerjoin(partner, partner.c.id == t.c.partner_id)
                     .outerjoin(user, user.c.id == t.c.manager_id))
        .where(_subject_filter(session, subject))
        .order_by(t.c.at, t.c.id)
        .limit(limit).offset(offset)
    )
    return [
        ChainItem(row.key, row.kind, row.topic, row.at, row.status, row.p_name, row.u_name,
                  subject.kind == "interaction" and row.key == subject.key)
        for row in session.execute(statement)
    ]


def change_chain_subject(session: Session, key: str, seen_version: int,
                         new_subject: SubjectRef | None) -> int:
    """Move the whole chain of interaction `key` to `new_subject` (None: no subject).

    One transaction: every member is updated version-checked and audited; `seen_version`
    is checked for `key` itself (the one the user is looking at). Returns its new version.
    A new subject that is an interaction is resolved to that interaction's chain subject, so
    chains never nest."""
    current = get_interaction(session, key)
    check_can_edit(session, current.manager_id)
    if new_subject is not None and new_subject.kind == "interaction":
        target = get_interaction(session, new_subject.key)
        new_subject = chain_subject(target.key, target.subject)
    old_subject = chain_subject(current.key, current.subject)
    t = _t("interaction")
    members = session.execute(
        select(t.c.id, t.c.key, t.c.version, t.c.manager_id)
        .where(_subject_filter(session, old_subject))
    ).all()
    new_version = seen_version
    for member in members:
        check_can_edit(session, member.manager_id)
        member_subject = new_subject_for_member(member.key, new_subject)
        values: dict[str, int | None] = {c: None for c in SUBJECT_COLUMNS.values()}
        if member_subject is not None:
            values[SUBJECT_COLUMNS[member_subject.kind]] = _subject_id(session, member_subject)
        old_row = session.execute(select(t).where(t.c.id == member.id)).one()
        old = subject_of_row(session, old_row)
        if old == member_subject:
            continue
        version = member.version if member.key != key else seen_version
        updated = update_versioned(session, "interaction", member.id, version, values)
        if member.key == key:
            new_version = updated
        audit.record(session, "interaction", member.key, "update", {"subject": (
            f"{old.kind}:{old.key}" if old else None,
            f"{member_subject.kind}:{member_subject.key}" if member_subject else None)})
    return new_version
