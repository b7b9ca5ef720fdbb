"""Validation of claims with their action plans (tasks) and attachments."""

from __future__ import annotations

import base64
import binascii
import hashlib
import mimetypes
from datetime import date, datetime

from crm_tui.domain.enums import ClaimSource, ClaimStatus
from crm_tui.exchange.context import Context
from crm_tui.exchange.refs import key_of, ref, save
from crm_tui.exchange.values import Fields
from crm_tui.i18n import _

STATUSES = frozenset(status.value for status in ClaimStatus)
SOURCES = frozenset(source.value for source in ClaimSource)


def claim(f: Fields, ctx: Context) -> None:
    """A claim: resolved_at iff not open, posted only when not open, tasks, attachments."""
    before = len(ctx.problems)
    claimed = key_of(f, ctx, "claim")
    partner_id = ref(f, ctx, "partner", "partner")
    reason_id = ref(f, ctx, "reason", "claim_reason")
    registered_at = f.timestamp("registered_at")
    description = f.text("description")
    manager_id = ref(f, ctx, "manager", "user")
    status = f.choice("status", STATUSES)
    posted = f.boolean("posted")
    if posted and status == ClaimStatus.OPEN:
        f.field_problem("posted", _("an open claim cannot be posted"))
    resolved_at = f.timestamp("resolved_at")
    if status is not None:
        has_resolved = f.obj.get("resolved_at") is not None
        if status != ClaimStatus.OPEN and not has_resolved:
            f.field_problem("resolved_at", _("required when the claim is not open"))
        elif status == ClaimStatus.OPEN and has_resolved:
            f.field_problem("resolved_at", _("an open claim has no resolved_at"))
    resolution = f.text("resolution")
    source = f.choice("source", SOURCES)
    source_document = f.text("source_document")
    tasks = _tasks(f, ctx)
    attachments = read_attachments(f)
    if claimed is None or len(ctx.problems) != before:
        return
    key, row_id, is_update = claimed
    save(ctx, "claim", {
        "id": row_id, "key": key, "partner_id": partner_id, "reason_id": reason_id,
        "registered_at": registered_at, "description": description, "manager_id": manager_id,
        "status": status, "posted": posted, "resolved_at": resolved_at, "resolution": resolution,
        "source": source, "source_document": source_document,
    }, is_update, ("claim_task", "attachment"))
    ctx.batch.insert_many("claim_task", (
        {"id": ctx.allocate("claim_task"), "claim_id": row_id, "seq": seq, "name": name,
         "description": text, "due": due, "assignee_id": assignee, "done": done,
         "done_at": done_at}
        for seq, (name, text, due, assignee, done, done_at) in enumerate(tasks, 1)))
    ctx.batch.insert_many("attachment", (
        {"id": ctx.allocate("attachment"), "claim_id": row_id, "seq": seq, "name": name,
         "size": len(content), "mime": mimetypes.guess_type(name)[0] or "application/octet-stream",
         "sha256": hashlib.sha256(content).hexdigest(), "content": content}
        for seq, (name, content) in enumerate(attachments, 1)))


Task = tuple[str, str, date | None, int | None, bool, datetime | None]


def _tasks(f: Fields, ctx: Context) -> list[Task]:
    tasks: list[Task] = []
    for index, value in enumerate(f.items("tasks") or ()):
        item = f.sub(value, f"tasks[{index + 1}]", "task")
        if item is None:
            continue
        name = item.text("name", nonempty=True)
        description = item.text("description")
        due = item.day("due")
        assignee = ref(item, ctx, "assignee", "user")
        done = item.boolean("done")
        done_at = item.timestamp("done_at")  # an addition: when it was done
        if done_at is not None and done is False:
            item.field_problem("done_at", _("only a done task has done_at"))
        if name is not None and description is not None and done is not None:
            tasks.append((name, description, due, assignee, done, done_at))
    return tasks


def read_attachments(f: Fields) -> list[tuple[str, bytes]]:
    files: list[tuple[str, bytes]] = []
    for index, value in enumerate(f.items("attachments") or ()):
        item = f.sub(value, f"attachments[{index + 1}]", "attachment")
        if item is None:
            continue
        name = item.text("name", nonempty=True)
        encoded = item.text("content_base64")
        if encoded is None:
            continue
        try:
            content = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            item.field_problem("content_base64", _("not valid base64"))
            continue
        if name is not None:
            files.append((name, content))
    return files
