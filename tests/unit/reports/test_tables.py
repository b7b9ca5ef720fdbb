"""The reports' Core tables (declared without the ORM, for `crm report`'s start) are the
models' tables: same names, columns, types and primary keys."""

from __future__ import annotations

import pytest
from sqlalchemy import String, Table

from crm_tui.reports import tables
from crm_tui.store import models

PAIRS = [
    (tables.deal, models.Deal), (tables.deal_kind, models.DealKind),
    (tables.deal_kind_stage, models.DealKindStage), (tables.stage_entry, models.DealStageEntry),
    (tables.demand_reason, models.DealDemandReason), (tables.classifier, models.Classifier),
    (tables.app_user, models.User), (tables.partner, models.Partner),
    (tables.claim, models.Claim), (tables.claim_task, models.ClaimTask),
    (tables.interaction, models.Interaction),
]


def _shape(table: Table) -> list[tuple[str, type, object, bool]]:
    shape = []
    for column in table.columns:
        kind = type(column.type)
        # SQLModel's AutoString is a String picking its length in DDL: the same in queries
        # (a TypeDecorator with no processing of its own).
        if kind.__name__ == "AutoString":
            kind = String
        shape.append((column.name, kind, getattr(column.type, "length", None),
                      column.primary_key))
    return shape


@pytest.mark.parametrize(("light", "model"), PAIRS, ids=[table.name for table, _m in PAIRS])
def test_the_report_tables_mirror_the_models(light: Table, model: type) -> None:
    mapped: Table = model.__table__  # type: ignore[attr-defined]
    assert light.name == mapped.name
    assert _shape(light) == _shape(mapped)


def test_every_table_the_reports_declare_is_checked() -> None:
    declared = {table.name for table in tables.metadata.tables.values()}
    assert declared == {table.name for table, _model in PAIRS}
