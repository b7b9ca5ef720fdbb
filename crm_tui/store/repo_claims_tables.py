"""The Core tables the claim repositories query (typed, unlike SQLModel class attributes)."""

from __future__ import annotations

from sqlalchemy import Table
from sqlmodel import SQLModel

from crm_tui.store import models  # noqa: F401  (registers the tables on the metadata)

_tables = SQLModel.metadata.tables
claim: Table = _tables["claim"]
claim_task: Table = _tables["claim_task"]
attachment: Table = _tables["attachment"]
classifier: Table = _tables["classifier"]
partner: Table = _tables["partner"]
app_user: Table = _tables["app_user"]
interaction: Table = _tables["interaction"]
