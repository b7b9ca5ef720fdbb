"""What the claim form loads and saves, off the event loop (called from its workers)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from crm_tui.domain.errors import ConflictError
from crm_tui.store.database import Database
from crm_tui.store.repo_claims import (
    Choice,
    ClaimDraft,
    ClaimView,
    InteractionBrief,
    changed_fields,
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


def read_form(session: Session, claim_key: str | None, partner_key: str | None,
              interaction_key: str | None) -> FormData:
    """Read the classifier, users, the claim and what a new claim is registered from."""
    claim = get_claim(session, claim_key) if claim_key else None
    brief = interaction_brief(session, interaction_key) if interaction_key else None
    key = partner_key or (brief.partner_key if brief else None)
    name = partner_name(session, key) if key else None
    return FormData(claims_enabled(session), reasons(session), users(session), claim,
                    brief, name, current_login())


def load_form(db: Database, claim_key: str | None, partner_key: str | None,
              interaction_key: str | None) -> FormData:
    """read_form in a read session of its own."""
    with db.read() as session:
        return read_form(session, claim_key, partner_key, interaction_key)


@dataclass(frozen=True)
class SaveResult:
    """A saved claim's key, or the conflict to show."""

    key: str | None
    conflict: list[tuple[str, str, str]] | None = None


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
    except ConflictError:
        if claim_key is None:
            raise
        with db.read() as session:
            return SaveResult(None, changed_fields(session, claim_key, draft))
    return SaveResult(key)


def latest_version(db: Database, claim_key: str) -> int:
    """The claim's version as saved now (for "re-apply mine")."""
    with db.read() as session:
        return get_claim(session, claim_key).version
