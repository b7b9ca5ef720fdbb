"""Every delete the app offers either succeeds or is refused with a message naming where
the record is used (never a foreign-key failure), and a used contact can be unlinked and
deleted in one transaction. The same checks run on PostgreSQL (tests/pg/test_deletes.py)."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

from crm_tui.exchange.importer import import_lines
from crm_tui.store import attachments, repo_classifiers
from crm_tui.store.database import Database
from crm_tui.store.repo_partners_read import find_counterparty
from crm_tui.store.repo_partners_write import delete_contact, unlink_counterparty
from crm_tui.store.usages import RecordInUse, usages
from crm_tui.store.users import ensure_current_user
from tests.unit.exchange.helpers import BASE


def load(database: Database) -> None:
    """The exchange tests' base file, with contact K1 on deal D1 and interaction I1, a
    second partner sharing legal entity C1, and an unused contact K2."""
    records: list[dict[str, Any]] = copy.deepcopy(BASE)
    for record in records:
        if record["type"] == "deal":
            record["contacts"] = [{"contact": "K1", "role": "decider"}]
            record["participants"] = [{"partner": "P2", "role": "payer"}]
            record["agreement"] = "A2"
            record["status"], record["stages"] = "open", record["stages"][:1]
            del record["closed_at"]
        if record["type"] == "interaction":
            record["contact"] = "K1"
        if record["type"] == "counterparty":
            record["partners"] = ["P1", "P2"]
    at = next(n for n, r in enumerate(records) if r["type"] == "counterparty")
    records.insert(at, {"type": "partner", "id": "P2", "name": "Бета", "roles": ["client"]})
    records.insert(at + 2, {"type": "contact", "id": "K2", "partner": "P1", "name": "Сидоров"})
    import_lines(database, [json.dumps(r, ensure_ascii=False) for r in records])
    with database.write() as session:
        ensure_current_user(session)


def scalar(database: Database, sql: str) -> Any:
    with database.read() as session:
        return session.execute(text(sql)).scalar()


def check_used_contact_is_refused_with_where(database: Database) -> None:
    load(database)
    with database.read() as session:
        used = usages(session, "contact", "K1")
    assert [(u.where, u.count) for u in used] == [
        ("deals (contact persons)", 1), ("interactions (contact)", 1)]
    with pytest.raises(RecordInUse) as caught, database.write() as session:
        delete_contact(session, "K1")
    assert str(caught.value) == ("«Петров» cannot be deleted: it is used in deals (contact "
                                 "persons): 1, interactions (contact): 1")
    assert caught.value.usages == tuple(used)
    assert scalar(database, "SELECT count(*) FROM contact WHERE key = 'K1'") == 1
    assert scalar(database, "SELECT count(*) FROM deal_contact") == 1


def check_used_contact_unlinked_and_deleted(database: Database) -> None:
    load(database)
    deal_version = scalar(database, "SELECT version FROM deal WHERE key = 'D1'")
    interaction_version = scalar(database, "SELECT version FROM interaction WHERE key = 'I1'")
    with database.write() as session:
        delete_contact(session, "K1", unlink=True)
    assert scalar(database, "SELECT count(*) FROM contact WHERE key = 'K1'") == 0
    assert scalar(database, "SELECT count(*) FROM deal_contact") == 0
    assert scalar(database, "SELECT contact_id FROM interaction WHERE key = 'I1'") is None
    assert scalar(database, "SELECT version FROM deal WHERE key = 'D1'") == deal_version + 1
    assert scalar(database, "SELECT version FROM interaction WHERE key = 'I1'") == (
        interaction_version + 1)
    with database.read() as session:
        log = session.execute(text(
            "SELECT entity, record_key, action, field, old FROM change_log "
            "WHERE action <> 'import' ORDER BY id")).all()
    assert [tuple(row) for row in log] == [
        ("deal", "D1", "update", "contacts", "-K1"),
        ("interaction", "I1", "update", "contact", "K1"),
        ("contact", "K1", "delete", "name", "Петров")]


def check_unused_contact_deleted(database: Database) -> None:
    load(database)
    with database.write() as session:
        delete_contact(session, "K2")
    assert scalar(database, "SELECT count(*) FROM contact WHERE key = 'K2'") == 0


def check_shared_legal_entity_unlinked(database: Database) -> None:
    load(database)
    with database.write() as session:
        unlink_counterparty(session, "P1", "C1")
    with database.read() as session:
        assert find_counterparty(session, "C1").partner_keys == ("P2",)


def check_attachment_of_a_referenced_claim_deleted(database: Database) -> None:
    load(database)  # interaction I1 has claim CL1 as its subject
    with database.write() as session:
        added = attachments.add_attachment(session, "CL1", "act.txt", b"text")
    with database.write() as session:
        attachments.delete_attachment(session, "CL1", added.id)
    assert scalar(database, "SELECT count(*) FROM attachment") == 0


def check_classifier_in_use_names_where(database: Database) -> None:
    load(database)
    with pytest.raises(RecordInUse) as caught, database.write() as session:
        repo_classifiers.delete_value(session, "contact_role", "decider")
    assert "deal contacts: 1" in str(caught.value)
    assert isinstance(caught.value, repo_classifiers.ClassifierInUse)


def check_rows_of_documents_removed(database: Database) -> None:
    """Rows of a document (a deal's participants and contacts, an agreement's payment lines,
    a claim's tasks) are removed by saving the document without them, while other records
    refer to the document and to what the rows named."""
    from dataclasses import replace

    from crm_tui.domain.agreements import PaymentLine
    from crm_tui.domain.claims import PlanTask
    from crm_tui.store import repo_agreements, repo_claims, repo_deals_form

    load(database)
    with database.write() as session:
        deal = repo_deals_form.load_deal(session, "D1")
        assert deal.draft.contacts and deal.draft.participants
        repo_deals_form.update_deal(session, "D1", deal.version,
                                    replace(deal.draft, contacts=(), participants=()))
        agreement = repo_agreements.get_agreement(session, "A2")  # deal D1 refers to it
        assert len(agreement.draft.schedule) == 2
        repo_agreements.update_agreement(session, "A2", agreement.version, replace(
            agreement.draft, schedule=(PaymentLine(100, 0),)))
        claim = repo_claims.get_claim(session, "CL1")  # interaction I1 refers to it
        draft = repo_claims.ClaimDraft(
            claim.partner_key, claim.reason_code, claim.registered_at, claim.description,
            claim.manager, claim.status, claim.resolved_at, claim.resolution, claim.source,
            claim.source_document, tasks=(PlanTask("Позвонить", "Клиенту", date(2026, 1, 5)),
                                          PlanTask("Написать", "Письмо", date(2026, 1, 6))))
        version = repo_claims.update_claim(session, "CL1", claim.version, draft)
        repo_claims.update_claim(session, "CL1", version,
                                 replace(draft, tasks=(draft.tasks[1],)))
    assert scalar(database, "SELECT count(*) FROM deal_contact") == 0
    assert scalar(database, "SELECT count(*) FROM deal_participant") == 0
    assert scalar(database, "SELECT count(*) FROM agreement_payment") == 2  # A1's and A2's
    assert scalar(database, "SELECT name FROM claim_task") == "Написать"


CHECKS = [
    check_rows_of_documents_removed, check_used_contact_is_refused_with_where,
    check_used_contact_unlinked_and_deleted, check_unused_contact_deleted,
    check_shared_legal_entity_unlinked, check_attachment_of_a_referenced_claim_deleted,
    check_classifier_in_use_names_where,
]


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_deletes_on_sqlite(db: Database, fixed_now: object, check: Any) -> None:
    check(db)
