"""The tables the reports read, as SQLAlchemy Core tables declared without the ORM.

`crm report` runs one query and exits: importing the SQLModel classes (store/models.py, with
SQLModel, pydantic and the ORM's mapper configuration) took most of its run on the large
demo database (issue 24 §4). These mirror the models' tables column by column, with the
same types, so the queries compile and their results convert exactly as before;
tests/unit/reports/test_tables.py keeps them equal to store/models.py.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

# A metadata of their own: never used to create anything (the migrations make the schema).
metadata = MetaData()

deal = Table(
    "deal", metadata,
    Column("id", Integer(), primary_key=True),
    Column("key", String(64)),
    Column("name", String()),
    Column("partner_id", Integer()),
    Column("kind_id", Integer()),
    Column("manager_id", Integer()),
    Column("amount_minor", BigInteger()),
    Column("created_at", DateTime()),
    Column("status", String(16)),
    Column("closed_at", DateTime()),
    Column("loss_reason_id", Integer()),
    Column("agreement_id", Integer()),
    Column("stage_id", Integer()),
    Column("stage_at", DateTime()),
    Column("notes", Text()),
    Column("version", Integer()),
)
deal_kind = Table(
    "deal_kind", metadata,
    Column("id", Integer(), primary_key=True),
    Column("code", String(64)),
    Column("name", String()),
    Column("stage_control", String(16)),
    Column("sort_order", Integer()),
    Column("archived", Boolean()),
)
deal_kind_stage = Table(
    "deal_kind_stage", metadata,
    Column("id", Integer(), primary_key=True),
    Column("kind_id", Integer()),
    Column("position", Integer()),
    Column("stage_id", Integer()),
)
stage_entry = Table(
    "deal_stage_entry", metadata,
    Column("id", Integer(), primary_key=True),
    Column("deal_id", Integer()),
    Column("seq", Integer()),
    Column("stage_id", Integer()),
    Column("at", DateTime()),
    Column("user_login", String()),
)
demand_reason = Table(
    "deal_demand_reason", metadata,
    Column("id", Integer(), primary_key=True),
    Column("deal_id", Integer()),
    Column("seq", Integer()),
    Column("reason_id", Integer()),
    Column("description", String()),
    Column("amount_minor", BigInteger()),
    Column("item", String(200)),
    Column("quantity_milli", BigInteger()),
    Column("price_minor", BigInteger()),
    Column("met", Boolean()),
)
classifier = Table(
    "classifier", metadata,
    Column("id", Integer(), primary_key=True),
    Column("kind", String(32)),
    Column("code", String(64)),
    Column("name", String()),
    Column("sort_order", Integer()),
    Column("archived", Boolean()),
)
app_user = Table(
    "app_user", metadata,
    Column("id", Integer(), primary_key=True),
    Column("login", String(64)),
    Column("name", String()),
    Column("role", String(16)),
)
partner = Table(
    "partner", metadata,
    Column("id", Integer(), primary_key=True),
    Column("key", String(64)),
    Column("name", String()),
    Column("region_id", Integer()),
    Column("roles", Integer()),
    Column("manager_id", Integer()),
    Column("comment", Text()),
    Column("version", Integer()),
)
claim = Table(
    "claim", metadata,
    Column("id", Integer(), primary_key=True),
    Column("key", String(64)),
    Column("partner_id", Integer()),
    Column("reason_id", Integer()),
    Column("registered_at", DateTime()),
    Column("description", Text()),
    Column("manager_id", Integer()),
    Column("status", String(16)),
    Column("posted", Boolean()),
    Column("resolved_at", DateTime()),
    Column("resolution", Text()),
    Column("source", String(32)),
    Column("source_document", String()),
    Column("version", Integer()),
)
claim_task = Table(
    "claim_task", metadata,
    Column("id", Integer(), primary_key=True),
    Column("claim_id", Integer()),
    Column("seq", Integer()),
    Column("name", String()),
    Column("description", Text()),
    Column("due", Date()),
    Column("assignee_id", Integer()),
    Column("done", Boolean()),
    Column("done_at", DateTime()),
)
interaction = Table(
    "interaction", metadata,
    Column("id", Integer(), primary_key=True),
    Column("key", String(64)),
    Column("kind", String(16)),
    Column("topic", String()),
    Column("at", DateTime()),
    Column("end", DateTime()),
    Column("status", String(16)),
    Column("partner_id", Integer()),
    Column("contact_id", Integer()),
    Column("manager_id", Integer()),
    Column("subject_deal_id", Integer()),
    Column("subject_claim_id", Integer()),
    Column("subject_interaction_id", Integer()),
    Column("direction", String(16)),
    Column("review_after", DateTime()),
    Column("text", Text()),
    Column("place", String()),
    Column("attendees", String()),
    Column("phone", String()),
    Column("duration_s", Integer()),
    Column("email_from", String()),
    Column("email_to", String()),
    Column("message_id", String()),
    Column("version", Integer()),
)
