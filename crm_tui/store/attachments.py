"""Claim attachments: files kept in the database itself (so backups, exports and
PostgreSQL include them), saved copies that never escape the chosen folder, and the
system viewer."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Row
from sqlmodel import Session

from crm_tui.domain import claims as rules
from crm_tui.domain.errors import NotFoundError, ValidationError
from crm_tui.i18n import _
from crm_tui.store import audit
from crm_tui.store.permissions import check_can_edit
from crm_tui.store.repo_claims_tables import attachment as attachment_t
from crm_tui.store.repo_claims_tables import claim as claim_t
from crm_tui.store.settings import get_setting


@dataclass(frozen=True)
class AttachmentInfo:
    """An attachment without its content."""

    id: int
    seq: int
    name: str
    size: int
    mime: str
    sha256: str


def limit_mb(session: Session) -> float:
    """The configured size limit of one attachment, in megabytes."""
    value = get_setting(session, "attachment_limit_mb")
    try:
        return float(value)
    except (TypeError, ValueError):
        return 25.0


def list_attachments(session: Session, claim_id: int) -> list[AttachmentInfo]:
    """The claim's attachments in the order they were added (content not loaded)."""
    rows = session.execute(
        select(attachment_t.c.id, attachment_t.c.seq, attachment_t.c.name,
               attachment_t.c.size, attachment_t.c.mime, attachment_t.c.sha256)
        .where(attachment_t.c.claim_id == claim_id).order_by(attachment_t.c.seq)
    )
    return [AttachmentInfo(*row) for row in rows]


def _claim(session: Session, claim_key: str) -> Row[Any]:
    claim = session.execute(select(claim_t).where(claim_t.c.key == claim_key)).first()
    if claim is None:
        raise NotFoundError(_("claim {key} not found").format(key=claim_key))
    return claim


def read_source_file(path: str, limit: float) -> tuple[str, bytes]:
    """Read a file the user wants to attach: (its base name, content).

    The size is checked before reading, so a huge file is refused at once."""
    source = Path(os.path.expanduser(path.strip()))
    if not path.strip() or not source.is_file():
        raise ValidationError(_("no such file: {path}").format(path=path), field="path")
    rules.check_attachment_size(source.stat().st_size, limit)
    try:
        content = source.read_bytes()
    except OSError as error:
        raise ValidationError(_("cannot read the file: {error}").format(error=error.strerror),
                              field="path") from error
    rules.check_attachment_size(len(content), limit)
    return source.name, content


def add_attachment(session: Session, claim_key: str, name: str, content: bytes) -> AttachmentInfo:
    """Attach a file to a claim (checks the size limit, posting and the user's rights)."""
    claim = _claim(session, claim_key)
    check_can_edit(session, claim.manager_id)
    rules.check_not_posted(bool(claim.posted))
    rules.check_attachment_size(len(content), limit_mb(session))
    clean = rules.safe_file_name(name)
    seq = int(session.execute(
        select(func.coalesce(func.max(attachment_t.c.seq), 0))
        .where(attachment_t.c.claim_id == claim.id)
    ).scalar_one()) + 1
    mime = mimetypes.guess_type(clean)[0] or "application/octet-stream"
    digest = hashlib.sha256(content).hexdigest()
    new_id = session.execute(
        insert(attachment_t).values(claim_id=claim.id, seq=seq, name=clean, size=len(content),
                                    mime=mime, sha256=digest, content=content)
        .returning(attachment_t.c.id)
    ).scalar_one()
    audit.record(session, "claim", claim_key, "update", {"attachment": (None, clean)})
    return AttachmentInfo(int(new_id), seq, clean, len(content), mime, digest)


def delete_attachment(session: Session, claim_key: str, attachment_id: int) -> None:
    """Remove one attachment from a claim."""
    claim = _claim(session, claim_key)
    check_can_edit(session, claim.manager_id)
    rules.check_not_posted(bool(claim.posted))
    name = session.execute(
        select(attachment_t.c.name).where(attachment_t.c.id == attachment_id,
                                      attachment_t.c.claim_id == claim.id)
    ).scalar()
    if name is None:
        raise NotFoundError(_("the attachment is gone"))
    session.execute(delete(attachment_t).where(attachment_t.c.id == attachment_id))
    audit.record(session, "claim", claim_key, "update", {"attachment": (name, None)})


def attachment_content(session: Session, attachment_id: int) -> tuple[str, bytes]:
    """(name, content) of one attachment, checked against its stored checksum."""
    row = session.execute(
        select(attachment_t.c.name, attachment_t.c.content, attachment_t.c.sha256)
        .where(attachment_t.c.id == attachment_id)
    ).first()
    if row is None:
        raise NotFoundError(_("the attachment is gone"))
    name, content, digest = row
    if hashlib.sha256(content).hexdigest() != digest:
        raise ValidationError(_("the attachment is damaged: its checksum does not match"))
    return name, bytes(content)


def save_copy(folder: str | Path, name: str, content: bytes) -> Path:
    """Write `content` into `folder` under a safe version of `name`; the path written.

    The name is reduced to a base name (no `..`, separators, absolute paths or NUL), an
    existing file is never overwritten (" (2)" is added), and symlinks are not followed."""
    target_dir = Path(os.path.expanduser(str(folder))).resolve()
    if not target_dir.is_dir():
        raise ValidationError(_("no such folder: {path}").format(path=folder), field="folder")
    clean = rules.safe_file_name(name)
    stem, dot, extension = clean.rpartition(".")
    if not dot or not stem:
        stem, extension = clean, ""
    for number in range(1, 1000):
        candidate = clean if number == 1 else (
            f"{stem} ({number}).{extension}" if extension else f"{stem} ({number})")
        path = target_dir / candidate
        if path.parent != target_dir or path.name != candidate:  # never leave the folder
            raise ValidationError(_("unsafe file name"), field="name")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        try:
            handle = os.open(path, flags, 0o644)
        except FileExistsError:
            continue
        except OSError as error:
            raise ValidationError(_("cannot write the file: {error}")
                                  .format(error=error.strerror), field="folder") from error
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        return path
    raise ValidationError(_("too many files with this name in the folder"), field="folder")


def viewer_command() -> str | None:
    """The system viewer (xdg-open, or open on macOS), or None when there is none."""
    return shutil.which("xdg-open") or shutil.which("open")


def open_with_viewer(name: str, content: bytes) -> Path:
    """Save a private copy in a temporary folder and hand it to the system viewer.

    Raises ValidationError when there is no viewer."""
    command = viewer_command()
    if command is None:
        raise ValidationError(_("there is no system viewer here (xdg-open); "
                                "save a copy instead"))
    folder = tempfile.mkdtemp(prefix="crm-attachment-")
    path = save_copy(folder, name, content)
    subprocess.Popen([command, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)
    return path
