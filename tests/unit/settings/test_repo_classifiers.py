"""Classifier editors' store: add, rename, reorder, archive, delete; deal kinds' stages."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from crm_tui.domain.errors import ConflictError, PermissionDenied, ValidationError
from crm_tui.store import audit
from crm_tui.store.database import Database
from crm_tui.store.repo_classifiers import (
    ClassifierInUse,
    add_deal_kind,
    add_value,
    delete_value,
    list_deal_kinds,
    list_values,
    move_value,
    rename_value,
    set_archived,
    update_deal_kind,
    usages,
)
from tests.unit.settings.conftest import as_manager


def codes(db: Database, kind: str) -> list[str]:
    with db.read() as s:
        return [value.code for value in list_values(s, kind)]


def test_add_rename_archive_delete_unused(crm_db: Database) -> None:
    with crm_db.write() as s:
        value = add_value(s, "price_type", "vip", " VIP prices ")
    assert value.name == "VIP prices" and codes(crm_db, "price_type")[-1] == "vip"
    with crm_db.write() as s:
        rename_value(s, "price_type", "vip", "VIP prices", "Premium")
    with pytest.raises(ConflictError), crm_db.write() as s:
        rename_value(s, "price_type", "vip", "VIP prices", "Other")
    with crm_db.write() as s:
        set_archived(s, "price_type", "vip", True)
    with crm_db.read() as s:
        assert [(v.name, v.archived) for v in list_values(s, "price_type")][-1] == (
            "Premium", True)
    with crm_db.write() as s:
        delete_value(s, "price_type", "vip")
    assert "vip" not in codes(crm_db, "price_type")
    with crm_db.read() as s:
        actions = [h.action for h in audit.history(s, "classifier", "price_type:vip")]
    assert actions[0] == "delete" and "insert" in actions


def test_add_refuses_bad_or_taken_codes(crm_db: Database) -> None:
    for code, name in (("retail", "Dup"), ("bad code", "x"), ("", "x"), ("ok", " "),
                       ("ok2", "a\x07b")):
        with pytest.raises(ValidationError), crm_db.write() as s:
            add_value(s, "price_type", code, name)


@pytest.mark.parametrize(("kind", "code", "where"), [
    ("loss_reason", "price", "lost deals: 1"),
    ("price_type", "retail", "agreements (price type): 1"),
    ("region", "MSK", "partners (business region): 1"),
    ("stage", "qualify", "deal stage histories: 1"),
    ("deal_kind", "typical", "deals: 1"),
])
def test_a_used_value_refuses_deletion_naming_where(crm_db: Database, kind: str, code: str,
                                                    where: str) -> None:
    with pytest.raises(ClassifierInUse) as error, crm_db.write() as s:
        delete_value(s, kind, code)
    message = str(error.value)
    assert code in message and where in message and "archive it instead" in message
    with crm_db.read() as s:
        assert usages(s, kind, code)


def test_reorder_swaps_neighbours_and_stops_at_the_edges(crm_db: Database) -> None:
    assert codes(crm_db, "stage") == ["lead", "qualify", "proposal", "negotiate", "contract"]
    with crm_db.write() as s:
        assert move_value(s, "stage", "proposal", -1)
    assert codes(crm_db, "stage") == ["lead", "proposal", "qualify", "negotiate", "contract"]
    with crm_db.write() as s:
        assert not move_value(s, "stage", "lead", -1)
        assert not move_value(s, "stage", "contract", 1)
        assert move_value(s, "stage", "lead", 1)
    assert codes(crm_db, "stage")[:2] == ["proposal", "lead"]
    with crm_db.read() as s:
        orders = [v.sort_order for v in list_values(s, "stage")]
        assert orders == sorted(orders) == [10, 20, 30, 40, 50]
    with crm_db.write() as s:
        assert move_value(s, "deal_kind", "longterm", -1)
    with crm_db.read() as s:
        assert [k.code for k in list_deal_kinds(s)] == ["typical", "longterm", "project"]


def test_changing_a_kinds_stages_never_rewrites_deal_history(crm_db: Database) -> None:
    query = text("SELECT deal_id, seq, stage_id, at FROM deal_stage_entry ORDER BY id")
    with crm_db.read() as s:
        before = s.execute(query).all()
        deal_before = s.execute(text("SELECT stage_id, stage_at, version FROM deal")).all()
    with crm_db.write() as s:
        update_deal_kind(s, "typical", "Typical sale", "manual", ["contract", "lead"])
    with crm_db.read() as s:
        assert s.execute(query).all() == before
        assert s.execute(text("SELECT stage_id, stage_at, version FROM deal")).all() == deal_before
        kind = {k.code: k for k in list_deal_kinds(s)}["typical"]
        assert (kind.stage_control, kind.stages) == ("manual", ("contract", "lead"))
        assert {h.field for h in audit.history(s, "deal_kind", "typical")} == {
            "stage_control", "stages"}


def test_deal_kind_rules(crm_db: Database) -> None:
    for control, stages in (("strict", []), ("none", ["lead"]), ("weird", ["lead"]),
                            ("manual", ["lead", "lead"]), ("manual", ["nope"])):
        with pytest.raises(ValidationError), crm_db.write() as s:
            add_deal_kind(s, "new", "New", control, stages)
    with crm_db.write() as s:
        add_deal_kind(s, "new", "New kind", "strict", ["lead", "contract"])
    with crm_db.read() as s:
        assert list_deal_kinds(s)[-1].stages == ("lead", "contract")
    with pytest.raises(ClassifierInUse) as error, crm_db.write() as s:
        delete_value(s, "stage", "lead")
    assert "deal kinds (their stages)" in str(error.value)
    with crm_db.write() as s:
        delete_value(s, "deal_kind", "new")


def test_only_an_administrator_changes_classifiers(crm_db: Database) -> None:
    as_manager(crm_db)
    with pytest.raises(PermissionDenied), crm_db.write() as s:
        add_value(s, "region", "OMS", "Omsk")
    with pytest.raises(PermissionDenied), crm_db.write() as s:
        move_value(s, "region", "SPB", -1)
    assert codes(crm_db, "region")[0] == "MSK"
