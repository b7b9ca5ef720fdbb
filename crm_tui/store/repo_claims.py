"""Claims: read one with its plan and files, register, save, post and un-post.

Every function takes a Session; writes run inside `db.write()` and record the change
history in the same transaction. Lists are in repo_claims_list.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Row
from sqlmodel import Session

from crm_tui.domain import claims as rules
from crm_tui.domain.claims import PlanTask
from crm_tui.domain.enums import ClaimSource, ClaimStatus
from crm_tui.domain.errors import DomainError, NotFoundError, ValidationError
from crm_tui.i18n import _
from crm_tui.store import audit
from crm_tui.store.attachments import AttachmentInfo, list_attachments
from crm_tui.store.keys import next_key
from crm_tui.store.permissions import check_can_edit
from crm_tui.store.repo_claims_tables import (
    app_user,
    claim,
    claim_task,
    classifier,
    interaction,
    partner,
)
from crm_tui.store.settings import get_setting
from crm_tui.store.users import ensure_current_user
from crm_tui.store.versioning import update_versioned


@dataclass(frozen=True)
class ClaimView:
    """A claim as its form shows it."""

    id: int
    key: str
    version: int
    partner_key: str
    partner_name: str
    reason_code: str
    reason_name: str
    registered_at: datetime
    description: str
    manager: str | None
    manager_id: int | None
    status: str
    posted: bool
    resolved_at: datetime | None
    resolution: str
    source: str
    source_document: str | None
    tasks: tuple[PlanTask, ...] = ()
    attachments: tuple[AttachmentInfo, ...] = ()
    chain_size: int = 0


@dataclass(frozen=True)
class ClaimDraft:
    """What the form saves: the claim's fields, outcome and plan."""

    partner_key: str | None
    reason_code: str | None
    registered_at: datetime
    description: str
    manager: str | None = None
    status: str = ClaimStatus.OPEN.value
    resolved_at: datetime | None = None
    resolution: str = ""
    source: str = ClaimSource.LIST.value
    source_document: str | None = None
    interaction_key: str | None = None
    tasks: tuple[PlanTask, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Choice:
    """A code (or login) and its display name, for pickers."""

    code: str
    name: str


def claims_enabled(session: Session) -> bool:
    """Setting "record customer claims"."""
    return bool(get_setting(session, "claims_enabled"))


def reasons(session: Session) -> list[Choice]:
    """The claim reasons classifier (not archived), in its order."""
    rows = session.execute(
        select(classifier.c.code, classifier.c.name)
        .where(classifier.c.kind == "claim_reason", classifier.c.archived == False)  # noqa: E712
        .order_by(classifier.c.sort_order, classifier.c.name)
    )
    return [Choice(code, name) for code, name in rows]


def users(session: Session) -> list[Choice]:
    """Every user, by name."""
    rows = session.execute(select(app_user.c.login, app_user.c.name).order_by(app_user.c.name))
    return [Choice(login, name) for login, name in rows]


def partner_name(session: Session, key: str) -> str | None:
    """The name of the partner with `key`, or None."""
    return session.execute(select(partner.c.name).where(partner.c.key == key)).scalar()


@dataclass(frozen=True)
class InteractionBrief:
    """What registering a claim from an interaction takes over from it."""

    key: str
    topic: str
    text: str
    partner_key: str | None
    partner_name: str | None


def interaction_brief(session: Session, key: str) -> InteractionBrief:
    """The interaction a claim is being registered from."""
    row = session.execute(
        select(interaction.c.key, interaction.c.topic, interaction.c.text, partner.c.key,
               partner.c.name)
        .outerjoin(partner, partner.c.id == interaction.c.partner_id)
        .where(interaction.c.key == key)
    ).first()
    if row is None:
        raise NotFoundError(_("interaction {key} not found").format(key=key))
    return InteractionBrief(row[0], row[1], row[2] or "", row[3], row[4])


def _claim_row(session: Session, key: str) -> Row[Any]:
    row = session.execute(select(claim).where(claim.c.key == key)).first()
    if row is None:
        raise NotFoundError(_("claim {key} not found").format(key=key))
    return row


def get_claim(session: Session, key: str) -> ClaimView:
    """One claim with its plan, attachment list and the size of its interaction chain."""
    manager = app_user.alias("manager")
    row = session.execute(
        select(claim, partner.c.key.label("partner_key"), partner.c.name.label("partner_name"),
               classifier.c.code.label("reason_code"), classifier.c.name.label("reason_name"),
               manager.c.login.label("manager_login"))
        .join(partner, partner.c.id == claim.c.partner_id)
        .join(classifier, classifier.c.id == claim.c.reason_id)
        .outerjoin(manager, manager.c.id == claim.c.manager_id)
        .where(claim.c.key == key)
    ).first()
    if row is None:
        raise NotFoundError(_("claim {key} not found").format(key=key))
    task_rows = session.execute(
        select(claim_task.c.name, claim_task.c.description, claim_task.c.due,
               app_user.c.login, claim_task.c.done, claim_task.c.done_at)
        .outerjoin(app_user, app_user.c.id == claim_task.c.assignee_id)
        .where(claim_task.c.claim_id == row.id).order_by(claim_task.c.seq)
    ).all()
    tasks = tuple(PlanTask(name, text or "", due, login, bool(done), done_at)
                  for name, text, due, login, done, done_at in task_rows)
    chain = session.execute(
        select(func.count()).select_from(interaction)
        .where(interaction.c.subject_claim_id == row.id)
    ).scalar_one()
    return ClaimView(
        id=row.id, key=row.key, version=row.version, partner_key=row.partner_key,
        partner_name=row.partner_name, reason_code=row.reason_code,
        reason_name=row.reason_name, registered_at=row.registered_at,
        description=row.description, manager=row.manager_login, manager_id=row.manager_id,
        status=row.status, posted=bool(row.posted), resolved_at=row.resolved_at,
        resolution=row.resolution or "", source=row.source,
        source_document=row.source_document, tasks=tasks,
        attachments=tuple(list_attachments(session, row.id)), chain_size=int(chain),
    )


def _id_of(session: Session, column: Any, id_column: Any, value: str | None,
            field_name: str, message: str) -> int | None:
    if value is None:
        return None
    found = session.execute(select(id_column).where(column == value)).scalar()
    if found is None:
        raise ValidationError(message.format(value=value), field=field_name)
    return int(found)


def _resolve(session: Session, draft: ClaimDraft) -> dict[str, Any]:
    """Validate a draft and turn it into column values (ids, checked texts)."""
    if not draft.partner_key:
        raise ValidationError(_("choose the partner"), field="partner")
    if not draft.reason_code:
        raise ValidationError(_("choose the reason"), field="reason")
    description = rules.check_claim_fields(draft.description)
    outcome = rules.check_outcome(draft.status, draft.resolved_at, draft.resolution)
    document = rules.check_source(draft.source, draft.source_document)
    partner_id = _id_of(session, partner.c.key, partner.c.id, draft.partner_key, "partner",
                        _("partner {value} not found"))
    reason_id = session.execute(
        select(classifier.c.id).where(classifier.c.kind == "claim_reason",
                                    classifier.c.code == draft.reason_code)
    ).scalar()
    if reason_id is None:
        raise ValidationError(_("unknown claim reason: {code}").format(code=draft.reason_code),
                              field="reason")
    manager_id = _id_of(session, app_user.c.login, app_user.c.id, draft.manager, "manager",
                        _("user {value} not found"))
    return {
        "partner_id": partner_id, "reason_id": int(reason_id),
        "registered_at": draft.registered_at, "description": description,
        "manager_id": manager_id, "status": outcome.status.value,
        "resolved_at": outcome.resolved_at, "resolution": outcome.resolution or None,
        "source": draft.source, "source_document": document,
    }


def _plan_text(tasks: tuple[PlanTask, ...] | list[PlanTask]) -> str:
    done, total = rules.progress(list(tasks))
    names = "; ".join(("[x] " if t.done else "[ ] ") + t.name for t in tasks)
    return f"{done}/{total}: {names}" if tasks else ""


def _write_tasks(session: Session, claim_id: int, tasks: tuple[PlanTask, ...],
                 manager: str | None) -> None:
    """Replace the plan; every task is checked, and one without an assignee goes to the
    claim's manager."""
    session.execute(delete(claim_task).where(claim_task.c.claim_id == claim_id))
    for seq, raw in enumerate(tasks, 1):
        task = rules.check_task(raw, manager)
        assignee = _id_of(session, app_user.c.login, app_user.c.id, task.assignee, "assignee",
                          _("user {value} not found"))
        session.execute(insert(claim_task).values(
            claim_id=claim_id, seq=seq, name=task.name, description=task.description,
            due=task.due, assignee_id=assignee, done=task.done, done_at=task.done_at))


def create_claim(session: Session, draft: ClaimDraft) -> str:
    """Register a new claim (and join its interaction to the claim's chain); its key."""
    if not claims_enabled(session):
        raise DomainError(_("customer claims are switched off in settings"))
    user = ensure_current_user(session)
    if draft.manager is None:
        draft = ClaimDraft(**{**draft.__dict__, "manager": user.login})
    if draft.source == ClaimSource.INTERACTION and not draft.interaction_key:
        raise ValidationError(_("a claim from an interaction needs the interaction"),
                              field="source")
    values = _resolve(session, draft)
    for task in draft.tasks:
        rules.check_task(task, draft.manager)
    key = next_key(session, "claim")
    claim_id = int(session.execute(
        insert(claim).values(key=key, posted=False, version=1, **values)
        .returning(claim.c.id)
    ).scalar_one())
    _write_tasks(session, claim_id, draft.tasks, draft.manager)
    changes: dict[str, tuple[Any, Any]] = {name: (None, value) for name, value in values.items()}
    changes["plan"] = (None, _plan_text(draft.tasks) or None)
    audit.record(session, "claim", key, "insert", changes)
    if draft.interaction_key:
        _join_interaction(session, draft.interaction_key, claim_id, key)
    return key


def _join_interaction(session: Session, interaction_key: str, claim_id: int,
                      claim_key: str) -> None:
    """Make the claim the interaction's subject (it joins the claim's chain)."""
    row = session.execute(select(interaction).where(interaction.c.key == interaction_key)).first()
    if row is None:
        raise NotFoundError(_("interaction {key} not found").format(key=interaction_key))
    old = ("deal" if row.subject_deal_id else "claim" if row.subject_claim_id
           else "interaction" if row.subject_interaction_id else None)
    update_versioned(session, "interaction", row.id, row.version, {
        "subject_claim_id": claim_id, "subject_deal_id": None, "subject_interaction_id": None,
    })
    audit.record(session, "interaction", interaction_key, "update",
                 {"subject": (old, f"claim {claim_key}")})


def update_claim(session: Session, key: str, seen_version: int, draft: ClaimDraft) -> int:
    """Save the form of an existing claim; the new version. Posted claims are read-only."""
    row = _claim_row(session, key)
    check_can_edit(session, row.manager_id)
    rules.check_not_posted(bool(row.posted))
    before = get_claim(session, key)
    values = _resolve(session, draft)
    new_version = update_versioned(session, "claim", row.id, seen_version, values)
    old_values = {
        "partner_id": row.partner_id, "reason_id": row.reason_id,
        "registered_at": row.registered_at, "description": row.description,
        "manager_id": row.manager_id, "status": row.status,
        "resolved_at": row.resolved_at, "resolution": row.resolution,
        "source": row.source, "source_document": row.source_document,
    }
    changes = {name: (old_values[name], values[name]) for name in values}
    if tuple(draft.tasks) != before.tasks:
        _write_tasks(session, row.id, draft.tasks, draft.manager)
        changes["plan"] = (_plan_text(before.tasks), _plan_text(draft.tasks))
    audit.record(session, "claim", key, "update", changes)
    return new_version


def _set_posted(session: Session, key: str, seen_version: int, posted: bool) -> int:
    row = _claim_row(session, key)
    check_can_edit(session, row.manager_id)
    if posted:
        rules.check_can_post(row.status)
        if row.posted:
            raise DomainError(_("the claim is already posted"))
        rules.check_can_post_with(open_task_count(session, row.id),
                                  bool(get_setting(session, "claims_post_with_open_tasks")))
    elif not row.posted:
        raise DomainError(_("the claim is not posted"))
    version = update_versioned(session, "claim", row.id, seen_version, {"posted": posted})
    audit.record(session, "claim", key, "post" if posted else "unpost",
                 {"posted": (bool(row.posted), posted)})
    return version


def open_task_count(session: Session, claim_id: int) -> int:
    """How many tasks of the claim's plan are not done."""
    return int(session.execute(
        select(func.count()).select_from(claim_task)
        .where(claim_task.c.claim_id == claim_id, claim_task.c.done == False)  # noqa: E712
    ).scalar_one())


def post_claim(session: Session, key: str, seen_version: int) -> int:
    """Post (провести) a claim: its outcome becomes final. Refused for an open claim."""
    return _set_posted(session, key, seen_version, True)


def unpost_claim(session: Session, key: str, seen_version: int) -> int:
    """Un-post a claim so that it can be changed again."""
    return _set_posted(session, key, seen_version, False)


def changed_fields(session: Session, key: str, mine: ClaimDraft) -> list[tuple[str, str, str]]:
    """(field, theirs, yours) for the conflict dialog: where the saved claim differs."""
    theirs = get_claim(session, key)
    pairs = [
        (_("Partner"), theirs.partner_key, mine.partner_key or ""),
        (_("Reason"), theirs.reason_code, mine.reason_code or ""),
        (_("Description"), theirs.description, mine.description),
        (_("Manager"), theirs.manager or "", mine.manager or ""),
        (_("Status"), theirs.status, mine.status),
        (_("Resolution"), theirs.resolution, mine.resolution),
        (_("Action plan"), _plan_text(theirs.tasks), _plan_text(mine.tasks)),
        (_("Posted"), _("yes") if theirs.posted else _("no"), _("no")),
    ]
    return [(label, str(a), str(b)) for label, a, b in pairs if a != b]
