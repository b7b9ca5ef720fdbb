"""Agreements in the store: list and filters, create, create-from-typical, update, audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from crm_tui.domain.agreements import AgreementDraft, PaymentLine
from crm_tui.domain.errors import ConflictError, PermissionDenied, ValidationError
from crm_tui.store import audit
from crm_tui.store.database import Database
from crm_tui.store.repo_agreements import (
    AgreementFilter,
    agreements_for_partner,
    count_agreements,
    create_agreement,
    draft_from_typical,
    get_agreement,
    list_agreements,
    typical_agreements,
    update_agreement,
)
from tests.unit.settings.conftest import as_manager


def test_list_and_filters(crm_db: Database) -> None:
    with crm_db.read() as s:
        assert count_agreements(s, AgreementFilter()) == 2
        assert [r.key for r in list_agreements(s, AgreementFilter(), 0, 10)] == ["I1", "T1"]
        assert [r.key for r in list_agreements(s, AgreementFilter(kind="typical"), 0, 10)] == ["T1"]
        assert count_agreements(s, AgreementFilter(partner_key="P1")) == 1
        assert count_agreements(s, AgreementFilter(partner_key="nope")) == 0
        assert count_agreements(s, AgreementFilter(price_type="retail")) == 1
        assert count_agreements(s, AgreementFilter(status="draft")) == 0
        row = list_agreements(s, AgreementFilter(partner_key="P1"), 0, 10)[0]
        assert (row.partner_name, row.price_type) == ("Alpha", "Retail")
        assert list_agreements(s, AgreementFilter(), 1, 10)[0].key == "T1"


def test_partner_filter_and_page_use_indexes(crm_db: Database) -> None:
    with crm_db.read() as s:
        plan = " ".join(str(row[-1]) for row in s.execute(text(
            "EXPLAIN QUERY PLAN SELECT id FROM agreement WHERE partner_id = 1 ORDER BY key")))
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan
        plan = " ".join(str(row[-1]) for row in s.execute(text(
            "EXPLAIN QUERY PLAN SELECT id FROM agreement ORDER BY key LIMIT 10 OFFSET 5")))
        assert "TEMP B-TREE" not in plan


def test_agreements_for_partner(crm_db: Database) -> None:
    with crm_db.read() as s:
        assert [r.key for r in agreements_for_partner(s, "P1")] == ["I1", "T1"]
        assert [r.key for r in agreements_for_partner(s, "P2")] == ["T1"]
        assert agreements_for_partner(s, "P2", on=date(2024, 12, 31)) == []
    with crm_db.write() as s:
        detail = get_agreement(s, "T1")
        update_agreement(s, "T1", detail.version,
                         AgreementDraft(**{**detail.draft.__dict__, "status": "closed"}))
    with crm_db.read() as s:
        assert [r.key for r in agreements_for_partner(s, "P1")] == ["I1"]
        assert typical_agreements(s) == []


def test_create_from_typical_copies_terms_and_keeps_based_on(crm_db: Database) -> None:
    with crm_db.read() as s:
        draft = draft_from_typical(s, "T1", "P2")
    assert draft.schedule == (PaymentLine(50, 0), PaymentLine(50, 30))
    assert (draft.kind, draft.partner_key, draft.based_on, draft.price_type) == (
        "individual", "P2", "T1", "wholesale")
    edited = AgreementDraft(**{**draft.__dict__, "name": "Beta terms",
                               "schedule": (PaymentLine(20, 0), PaymentLine(80, 45))})
    with crm_db.write() as s:
        key = create_agreement(s, edited)
    assert key == "A-000001"
    with crm_db.read() as s:
        saved = get_agreement(s, key)
        typical = get_agreement(s, "T1")
        assert saved.draft.based_on == "T1" and saved.based_on_name == "Wholesale terms"
        assert saved.draft.schedule == (PaymentLine(20, 0), PaymentLine(80, 45))
        assert typical.draft.schedule == (PaymentLine(50, 0), PaymentLine(50, 30))
        assert [r.key for r in agreements_for_partner(s, "P2")] == [key, "T1"]
        assert {h.field for h in audit.history(s, "agreement", key)} >= {"name", "partner"}


def test_create_refuses_invalid_terms(crm_db: Database) -> None:
    bad = [
        AgreementDraft("x", "individual", schedule=(PaymentLine(100, 0),)),
        AgreementDraft("x", "individual", partner_key="P9", schedule=(PaymentLine(100, 0),)),
        AgreementDraft("x", "typical", schedule=(PaymentLine(90, 0),)),
        AgreementDraft("x", "typical", price_type="nope", schedule=(PaymentLine(100, 0),)),
        AgreementDraft("x", "individual", partner_key="P1", based_on="I1",
                       schedule=(PaymentLine(100, 0),)),
    ]
    for draft in bad:
        with pytest.raises(ValidationError), crm_db.write() as s:
            create_agreement(s, draft)
    with crm_db.read() as s:
        assert count_agreements(s, AgreementFilter()) == 2


def test_update_is_versioned_and_audited(crm_db: Database) -> None:
    with crm_db.read() as s:
        detail = get_agreement(s, "I1")
    changed = AgreementDraft(**{**detail.draft.__dict__, "name": "Renamed",
                                "schedule": (PaymentLine(40, 0), PaymentLine(60, 10))})
    with crm_db.write() as s:
        assert update_agreement(s, "I1", detail.version, changed) == detail.version + 1
    with pytest.raises(ConflictError), crm_db.write() as s:
        update_agreement(s, "I1", detail.version, changed)
    with crm_db.read() as s:
        again = get_agreement(s, "I1")
        assert again.draft.name == "Renamed" and len(again.draft.schedule) == 2
        fields = {h.field for h in audit.history(s, "agreement", "I1")}
        assert fields == {"name", "payment_schedule"}


def _role(db: Database, login: str, role: str) -> None:
    with db.write() as s:
        s.execute(text("UPDATE app_user SET role = :r WHERE login = :l"), {"r": role, "l": login})


def test_who_may_write_agreements(crm_db: Database) -> None:
    """Typical agreements: supervisors and administrators. Individual ones: the partner's
    manager (anyone for a partner without one) and supervisors."""
    with crm_db.write() as s:
        s.execute(text("UPDATE partner SET manager_id = "
                       "(SELECT id FROM app_user WHERE login = 'boss') WHERE key = 'P1'"))
    as_manager(crm_db)
    typical = AgreementDraft("Dealer terms", "typical", price_type="wholesale",
                             schedule=(PaymentLine(100, 0),))
    with pytest.raises(PermissionDenied, match="typical"), crm_db.write() as s:
        create_agreement(s, typical)
    with crm_db.read() as s:
        t1, i1 = get_agreement(s, "T1"), get_agreement(s, "I1")
    with pytest.raises(PermissionDenied), crm_db.write() as s:
        update_agreement(s, "T1", t1.version, t1.draft)
    with pytest.raises(PermissionDenied), crm_db.write() as s:  # P1 is boss's partner
        update_agreement(s, "I1", i1.version, i1.draft)
    own = AgreementDraft("Beta terms", "individual", partner_key="P2",
                         schedule=(PaymentLine(100, 0),))
    with crm_db.write() as s:  # P2 has no manager
        key = create_agreement(s, own)
    with crm_db.read() as s:
        mine = get_agreement(s, key)
    with pytest.raises(PermissionDenied), crm_db.write() as s:  # made typical: not theirs
        update_agreement(s, key, mine.version, AgreementDraft(
            **{**mine.draft.__dict__, "kind": "typical", "partner_key": None}))
    with pytest.raises(PermissionDenied), crm_db.write() as s:  # moved to boss's partner
        update_agreement(s, key, mine.version, AgreementDraft(
            **{**mine.draft.__dict__, "partner_key": "P1"}))
    with crm_db.write() as s:
        update_agreement(s, key, mine.version, AgreementDraft(
            **{**mine.draft.__dict__, "name": "Beta terms 2"}))
    _role(crm_db, "manager1", "supervisor")
    with crm_db.write() as s:
        create_agreement(s, typical)
        update_agreement(s, "I1", i1.version, i1.draft)
