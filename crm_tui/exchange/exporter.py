"""`crm export`: the whole database as exchange-format lines, deterministically.

Types come in the spec's order, records of one type sorted by key (a record referring to
another of its own type comes after it), object keys in the fixed field order with "type"
first, optional fields left out when null or empty, money with 2 decimals, timestamps with
seconds.
"""

from __future__ import annotations

import base64
import heapq
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from crm_tui.domain.enums import CLASSIFIER_KINDS, mask_to_roles
from crm_tui.domain.money import format_exchange, from_minor
from crm_tui.exchange.fields import FIELDS, TYPE_ORDER
from crm_tui.store import models, models_interactions
from crm_tui.store.database import Database

# The tables are read from SQLModel's metadata, which holds them only once their models are
# imported (the database opens without the ORM now: `crm export` found no table).
_MODELS = (models, models_interactions)

Record = dict[str, Any]


def _ts(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def dump(record: Record) -> str:
    """One record as a line (without the line feed): fixed key order, empty optionals out."""
    kind = record["type"]
    out: Record = {"type": kind}
    for name, required in FIELDS[kind]:
        value = record.get(name)
        if required or (value is not None and value != []):
            out[name] = value
    return json.dumps(out, ensure_ascii=False)


class _Reader:
    """Reads tables once and keeps id -> key maps for references."""

    def __init__(self, connection: Connection) -> None:
        # The tables are the models' (an up-to-date database opens without importing them).
        import crm_tui.store.models  # noqa: F401

        self.connection = connection
        self.tables = SQLModel.metadata.tables
        self.keys: dict[str, dict[int, str]] = {}

    def rows(self, name: str, order: str | None = None) -> list[Any]:
        table = self.tables[name]
        statement = select(table)
        if order is not None:
            statement = statement.order_by(table.c[order])
        return list(self.connection.execute(statement))

    def key_map(self, name: str, column: str = "key") -> dict[int, str]:
        if name not in self.keys:
            table = self.tables[name]
            self.keys[name] = dict(
                (row_id, key) for row_id, key in
                self.connection.execute(select(table.c.id, table.c[column]))
            )
        return self.keys[name]

    def children(self, name: str, parent: str) -> dict[int, list[Any]]:
        table = self.tables[name]
        grouped: dict[int, list[Any]] = {}
        order = [table.c[parent], table.c.seq] if "seq" in table.c else [table.c[parent]]
        for row in self.connection.execute(select(table).order_by(*order)):
            grouped.setdefault(getattr(row, parent), []).append(row)
        return grouped


def export_lines(db: Database) -> Iterator[str]:
    """Every record of the database as one line each (no line feeds), in export order."""
    with db.read() as session:
        reader = _Reader(session.connection())
        for kind in TYPE_ORDER:
            for record in _BUILDERS[kind](reader, kind):
                yield dump(record)


def export_file(db: Database, path: str | Path,
                report: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Write the whole database to `path` (replaced only once complete: a failure leaves
    the old file as it was); counts per record type, in type order. `report(records,
    records)` is called every 2000 records and at the end (cli/progress.py)."""
    from crm_tui.atomic import text_writer

    counts = {kind: 0 for kind in TYPE_ORDER}
    written = 0
    with text_writer(path, newline="\n") as handle:
        for line in export_lines(db):
            handle.write(line)
            handle.write("\n")
            counts[line[10:line.index('"', 10)]] += 1
            written += 1
            if report is not None and written % 2000 == 0:
                report(written, written)
    if report is not None:
        report(written, written)
    return counts


def _sorted(records: list[Record], key: str) -> list[Record]:
    return sorted(records, key=lambda record: record[key])


def _classifiers(reader: _Reader, kind: str) -> list[Record]:
    records = []
    for row in reader.rows("classifier"):
        if row.kind != kind:
            continue
        record: Record = {"type": kind, "code": row.code, "name": row.name}
        if kind == "stage":
            record["order"] = row.sort_order
        records.append(record)
    return _sorted(records, "code")


def _deal_kinds(reader: _Reader, kind: str) -> list[Record]:
    stage_codes = reader.key_map("classifier", "code")
    stages = reader.children("deal_kind_stage", "kind_id")
    return _sorted([
        {"type": kind, "code": row.code, "name": row.name, "stage_control": row.stage_control,
         "stages": [stage_codes[item.stage_id]
                    for item in sorted(stages.get(row.id, ()), key=lambda s: s.position)]}
        for row in reader.rows("deal_kind")
    ], "code")


def _users(reader: _Reader, kind: str) -> list[Record]:
    return _sorted([{"type": kind, "login": row.login, "name": row.name}
                    for row in reader.rows("app_user")], "login")


def _partners(reader: _Reader, kind: str) -> list[Record]:
    codes = reader.key_map("classifier", "code")
    logins = reader.key_map("app_user", "login")
    return _sorted([
        {"type": kind, "id": row.key, "name": row.name, "region": codes.get(row.region_id),
         "roles": mask_to_roles(row.roles), "manager": logins.get(row.manager_id),
         "comment": row.comment}
        for row in reader.rows("partner")
    ], "id")


def _counterparties(reader: _Reader, kind: str) -> list[Record]:
    partners = reader.key_map("partner")
    links: dict[int, list[str]] = {}
    for link in reader.rows("partner_counterparty"):
        links.setdefault(link.counterparty_id, []).append(partners[link.partner_id])
    return _sorted([
        {"type": kind, "id": row.key, "partners": sorted(links.get(row.id, [])), "inn": row.inn,
         "kpp": row.kpp, "ogrn": row.ogrn, "short_name": row.short_name,
         "full_name": row.full_name, "legal_address": row.legal_address, "phone": row.phone}
        for row in reader.rows("counterparty")
    ], "id")


def _contacts(reader: _Reader, kind: str) -> list[Record]:
    partners = reader.key_map("partner")
    return _sorted([
        {"type": kind, "id": row.key, "partner": partners[row.partner_id], "name": row.name,
         "position": row.position, "phones": json.loads(row.phones or "[]"),
         "emails": json.loads(row.emails or "[]")}
        for row in reader.rows("contact")
    ], "id")


def _agreements(reader: _Reader, kind: str) -> list[Record]:
    partners = reader.key_map("partner")
    codes = reader.key_map("classifier", "code")
    agreements = reader.key_map("agreement")
    schedule = reader.children("agreement_payment", "agreement_id")
    records = [
        {"type": kind, "id": row.key, "kind": row.kind, "name": row.name,
         "partner": partners.get(row.partner_id), "based_on": agreements.get(row.based_on_id),
         "price_type": codes.get(row.price_type_id),
         "payment_schedule": [{"percent": line.percent, "days": line.days}
                              for line in sorted(schedule.get(row.id, ()),
                                                 key=lambda line: line.line_no)],
         "valid_from": _day(row.valid_from), "valid_to": _day(row.valid_to),
         "status": row.status}
        for row in reader.rows("agreement")
    ]
    return topological(records, lambda record: record.get("based_on"))


def _deals(reader: _Reader, kind: str) -> Iterator[Record]:
    partners = reader.key_map("partner")
    contacts = reader.key_map("contact")
    codes = reader.key_map("classifier", "code")
    kinds = reader.key_map("deal_kind", "code")
    logins = reader.key_map("app_user", "login")
    agreements = reader.key_map("agreement")
    stages = reader.children("deal_stage_entry", "deal_id")
    participants = reader.children("deal_participant", "deal_id")
    deal_contacts = reader.children("deal_contact", "deal_id")
    demand = reader.children("deal_demand_reason", "deal_id")
    rows = reader.rows("deal")
    rows.sort(key=lambda row: row.key)
    for row in rows:
        yield {
            "type": kind, "id": row.key, "name": row.name, "partner": partners[row.partner_id],
            "kind": kinds[row.kind_id], "manager": logins[row.manager_id],
            "amount": format_exchange(from_minor(row.amount_minor)),
            "created_at": _ts(row.created_at), "status": row.status,
            "closed_at": _ts(row.closed_at), "loss_reason": codes.get(row.loss_reason_id),
            "demand_reasons": [codes[item.reason_id] for item in demand.get(row.id, ())
                               if item.item is None and item.reason_id is not None],
            "agreement": agreements.get(row.agreement_id),
            "participants": [{"partner": partners[item.partner_id], "role": codes[item.role_id]}
                             for item in participants.get(row.id, ())],
            "contacts": [{"contact": contacts[item.contact_id], "role": codes[item.role_id]}
                         for item in deal_contacts.get(row.id, ())],
            "stages": [{"stage": codes[item.stage_id], "at": _ts(item.at)}
                       for item in stages.get(row.id, ())],
            "notes": row.notes,
            "demand_lines": [_demand_line(item, codes) for item in demand.get(row.id, ())
                             if item.item is not None],
        }


def _demand_line(item: Any, codes: dict[int, str]) -> Record:
    """A demand line; absent quantity, price, amount and reason are left out."""
    line: Record = {"item": item.item}
    if item.quantity_milli is not None:
        line["quantity"] = f"{(Decimal(item.quantity_milli) / 1000).normalize():f}"
    for name, minor in (("price", item.price_minor), ("amount", item.amount_minor)):
        if minor is not None:
            line[name] = format_exchange(from_minor(minor))
    line["met"] = bool(item.met)
    if item.reason_id is not None:
        line["reason"] = codes[item.reason_id]
    return line


def _task(item: Any, logins: dict[int, str]) -> Record:
    task: Record = {"name": item.name, "description": item.description or ""}
    if item.due is not None:
        task["due"] = item.due.isoformat()
    if item.assignee_id is not None:
        task["assignee"] = logins[item.assignee_id]
    task["done"] = bool(item.done)
    if item.done_at is not None:  # an addition, written only when set
        task["done_at"] = _ts(item.done_at)
    return task


def _claims(reader: _Reader, kind: str) -> Iterator[Record]:
    partners = reader.key_map("partner")
    codes = reader.key_map("classifier", "code")
    logins = reader.key_map("app_user", "login")
    tasks = reader.children("claim_task", "claim_id")
    files = reader.children("attachment", "claim_id")
    rows = reader.rows("claim")
    rows.sort(key=lambda row: row.key)
    for row in rows:
        yield {
            "type": kind, "id": row.key, "partner": partners[row.partner_id],
            "reason": codes[row.reason_id], "registered_at": _ts(row.registered_at),
            "description": row.description, "manager": logins.get(row.manager_id),
            "status": row.status, "posted": bool(row.posted),
            "resolved_at": _ts(row.resolved_at), "resolution": row.resolution,
            "source": row.source, "source_document": row.source_document,
            "tasks": [_task(item, logins) for item in tasks.get(row.id, ())],
            "attachments": [{"name": item.name,
                             "content_base64": base64.b64encode(item.content).decode("ascii")}
                            for item in files.get(row.id, ())],
        }


def _interactions(reader: _Reader, kind: str) -> Iterator[Record]:
    partners = reader.key_map("partner")
    contacts = reader.key_map("contact")
    logins = reader.key_map("app_user", "login")
    deals = reader.key_map("deal")
    claims = reader.key_map("claim")
    interactions = reader.key_map("interaction")
    files = reader.children("interaction_attachment", "interaction_id")

    def build(row: Any) -> Record:
        subject = None
        if row.subject_deal_id is not None:
            subject = {"deal": deals[row.subject_deal_id]}
        elif row.subject_claim_id is not None:
            subject = {"claim": claims[row.subject_claim_id]}
        elif row.subject_interaction_id is not None:
            subject = {"interaction": interactions[row.subject_interaction_id]}
        return {
            "type": kind, "id": row.key, "kind": row.kind, "topic": row.topic,
            "at": _ts(row.at), "end": _ts(row.end), "status": row.status,
            "partner": partners.get(row.partner_id), "contact": contacts.get(row.contact_id),
            "manager": logins.get(row.manager_id), "subject": subject,
            "direction": row.direction, "review_after": _ts(row.review_after),
            "text": row.text, "place": row.place, "attendees": row.attendees,
            "phone": row.phone, "duration": row.duration_s, "email_from": row.email_from,
            "email_to": row.email_to, "message_id": row.message_id,
            "attachments": [{"name": item.name,
                             "content_base64": base64.b64encode(item.content).decode("ascii")}
                            for item in files.get(row.id, ())],
        }

    rows = reader.rows("interaction")
    rows.sort(key=lambda row: row.key)
    parent = {
        row.key: interactions[row.subject_interaction_id]
        for row in rows if row.subject_interaction_id is not None
    }
    by_key = {row.key: row for row in rows}
    for key in topological_keys([row.key for row in rows], parent.get):
        yield build(by_key[key])


def topological_keys(keys: list[str], parent_of: Callable[[str], str | None]) -> Iterator[str]:
    """`keys` (sorted) in order, except that a key whose parent is among them waits until
    its parent has come: the smallest ready key always comes next (stable topological order).
    Keys caught in a cycle come last, sorted."""
    present = set(keys)
    emitted: set[str] = set()
    waiting: dict[str, list[str]] = {}
    ready: list[str] = []
    stream = iter(keys)
    pending: str | None = None
    exhausted = False
    while True:
        while pending is None and not exhausted:
            candidate = next(stream, None)
            if candidate is None:
                exhausted = True
                break
            parent = parent_of(candidate)
            if parent is None or parent not in present or parent in emitted:
                pending = candidate
            else:
                waiting.setdefault(parent, []).append(candidate)
        if ready and (pending is None or ready[0] < pending):
            key = heapq.heappop(ready)
        elif pending is not None:
            key, pending = pending, None
        else:
            break
        emitted.add(key)
        yield key
        for child in waiting.pop(key, ()):
            heapq.heappush(ready, child)
    leftovers = sorted(child for children in waiting.values() for child in children)
    yield from leftovers


def topological(records: list[Record], parent_of: Callable[[Record], str | None]) -> list[Record]:
    """Records sorted by "id", each after the record of its own type it refers to."""
    by_key = {record["id"]: record for record in records}
    keys = sorted(by_key)
    return [by_key[key] for key in topological_keys(
        keys, lambda key: parent_of(by_key[key]))]


_BUILDERS: dict[str, Callable[[_Reader, str], Any]] = {
    **{kind: _classifiers for kind in CLASSIFIER_KINDS},
    "deal_kind": _deal_kinds,
    "user": _users,
    "partner": _partners,
    "counterparty": _counterparties,
    "contact": _contacts,
    "agreement": _agreements,
    "deal": _deals,
    "claim": _claims,
    "interaction": _interactions,
}
