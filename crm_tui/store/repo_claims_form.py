"""What the claim form loads and saves, off the event loop (called from its workers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from crm_tui.domain.errors import ConflictError, NotFoundError
from crm_tui.domain.merge import fields_of
from crm_tui.store.database import Database
from crm_tui.store.repo_claims import (
    Choice,
    ClaimDraft,
    ClaimView,
    InteractionBrief,
    claims_enabled,
    create_claim,
    get_claim,
    interaction_brief,
    partner_name,
    post_claim,
    reasons,
    unpost_claim,
    update_claim,
    users,
)
from crm_tui.store.settings import get_setting
from crm_tui.store.users import current_login


@dataclass(frozen=True)
class FormData:
    """Everything the form shows when it opens."""

    enabled: bool
    reasons: list[Choice]
    users: list[Choice]
    claim: ClaimView | None
    interaction: InteractionBrief | None
    partner_name: str | None
    login: str
    post_with_open_tasks: bool = True  # the setting: may a claim with open tasks be posted


def read_form(session: Session, claim_key: str | None, partner_key: str | None,
              interaction_key: str | None) -> FormData:
    """Read the classifier, users, the claim and what a new claim is registered from."""
    claim = get_claim(session, claim_key) if claim_key else None
    brief = interaction_brief(session, interaction_key) if interaction_key else None
    key = partner_key or (brief.partner_key if brief else None)
    name = partner_name(session, key) if key else None
    return FormData(claims_enabled(session), reasons(session), users(session), claim,
                    brief, name, current_login(),
                    bool(get_setting(session, "claims_post_with_open_tasks")))


def load_form(db: Database, claim_key: str | None, partner_key: str | None,
              interaction_key: str | None) -> FormData:
    """read_form in a read session of its own."""
    with db.read() as session:
        return read_form(session, claim_key, partner_key, interaction_key)


@dataclass(frozen=True)
class SaveResult:
    """A saved claim's key, or a conflict: the claim as saved now (None: deleted)."""

    key: str | None
    conflict: bool = False
    theirs: ClaimView | None = None


def save_form(db: Database, claim_key: str | None, version: int | None, draft: ClaimDraft,
              dirty: bool = True, post: bool | None = None) -> SaveResult:
    """Create or update (when `dirty`) the claim, then post (True) or un-post (False) it,
    all in one transaction."""
    try:
        with db.write() as session:
            if claim_key is None:
                key = create_claim(session, draft)
                current = 1
            else:
                key = claim_key
                assert version is not None
                current = version
                if dirty and post is not False:
                    current = update_claim(session, key, version, draft)
            if post is True:
                post_claim(session, key, current)
            elif post is False:
                unpost_claim(session, key, current)
    except (ConflictError, NotFoundError):
        if claim_key is None:
            raise
        try:
            with db.read() as session:
                return SaveResult(None, True, get_claim(session, claim_key))
        except NotFoundError:
            return SaveResult(None, True, None)
    return SaveResult(key)


# The fields the form edits (source, document and the interaction it came from are not).
EDITED = ("partner_key", "reason_code", "registered_at", "description", "manager", "status",
          "resolved_at", "resolution", "tasks")


def _minute(moment: datetime | None) -> datetime | None:
    return moment.replace(second=0, microsecond=0) if moment is not None else None


def normalised(values: dict[str, Any]) -> dict[str, Any]:
    """Edited values as they are saved: trimmed texts, times to the minute the form shows."""
    return {**values, "description": str(values["description"]).strip(),
            "resolution": str(values["resolution"] or "").strip(),
            "registered_at": _minute(values["registered_at"]),
            "resolved_at": _minute(values["resolved_at"]), "tasks": tuple(values["tasks"])}


def claim_values(claim: ClaimView) -> dict[str, Any]:
    """The edited fields of a saved claim, to compare and merge with the form's."""
    return normalised({name: getattr(claim, name) for name in EDITED})


def draft_values(draft: ClaimDraft) -> dict[str, Any]:
    """The edited fields of the form's draft."""
    return normalised(fields_of(draft, EDITED))


def merged_draft(theirs: ClaimView, values: dict[str, Any]) -> ClaimDraft:
    """The draft to save after a merge: the merged fields on the claim as saved now."""
    return ClaimDraft(**values, source=theirs.source, source_document=theirs.source_document)
