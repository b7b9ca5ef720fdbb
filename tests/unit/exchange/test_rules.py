"""One test per validation rule: a file breaking it fails with the right line and message,
and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from crm_tui.store.database import Database
from tests.unit.exchange.helpers import BASE, base_with, count_rows, lines, problems_of

DEAL_WON = {"stages": [{"stage": "lead", "at": "2025-01-01T10:00"},
                       {"stage": "offer", "at": "2025-01-05T10:00"}]}

# (test id, record type, key, changes, expected message fragment)
CASES: list[tuple[str, str, str, dict[str, Any], str]] = [
    ("unknown_field", "partner", "P1", {"nmae": "x"}, "unknown field: nmae"),
    ("missing_field", "partner", "P1", {"name": None}, "missing required field: name"),
    ("string_type", "partner", "P1", {"name": 5}, "name: must be a string"),
    ("integer_type", "stage", "lead", {"order": "10"}, "order: must be an integer"),
    ("boolean_type", "claim", "CL1", {"posted": "no"}, "posted: must be true or false"),
    ("list_type", "partner", "P1", {"roles": "client"}, "roles: must be a list"),
    ("enum_roles", "partner", "P1", {"roles": ["boss"]}, "roles[1]: must be one of"),
    ("roles_not_empty", "partner", "P1", {"roles": []}, "roles: must not be empty"),
    ("enum_stage_control", "deal_kind", "none", {"stage_control": "loose"},
     "stage_control: must be one of"),
    ("none_kind_has_no_stages", "deal_kind", "none", {"stages": ["lead"]},
     "has no stages"),
    ("controlled_kind_needs_stages", "deal_kind", "manual", {"stages": []},
     "needs at least one stage"),
    ("reference_unknown", "partner", "P1", {"manager": "nobody"},
     "manager: no user with key nobody"),
    ("reference_later", "partner", "P1", {"region": "SPB"}, "region: no region with key SPB"),
    ("inn_check_digit", "counterparty", "C1", {"inn": "7707083894"}, "INN check digit is wrong"),
    ("inn_length", "counterparty", "C1", {"inn": "77070838"}, "INN must be 10 or 12 digits"),
    ("ogrn_check_digit", "counterparty", "C1", {"ogrn": "1027700132196"},
     "OGRN check digit is wrong"),
    ("kpp_format", "counterparty", "C1", {"kpp": "77360100"}, "kpp: KPP must be 9 characters"),
    ("kpp_only_organisations", "counterparty", "C1",
     {"inn": "500100732259", "kpp": "773601001"}, "kpp: a 12-digit INN"),
    ("partners_not_empty", "counterparty", "C1", {"partners": []}, "partners: must not be empty"),
    ("phone_invalid", "contact", "K1", {"phones": ["12345"]}, "phones[1]: not a phone number"),
    ("email_invalid", "contact", "K1", {"emails": ["nobody"]}, "emails[1]: not an e-mail"),
    ("money_number", "deal", "D1", {"amount": 100.5}, "amount: money must be a string"),
    ("money_digits", "deal", "D1", {"amount": "1.005"}, "amount: not a money amount"),
    ("money_negative", "deal", "D1", {"amount": "-1.00"}, "amount: must not be negative"),
    ("date_format", "agreement", "A2", {"valid_from": "01.01.2025"},
     "valid_from: must be a date"),
    ("date_exists", "agreement", "A2", {"valid_from": "2025-02-30"}, "no such date"),
    ("timestamp_format", "deal", "D1", {"created_at": "2025-01-01 10:00"},
     "created_at: must be a timestamp"),
    ("timestamp_exists", "deal", "D1", {"created_at": "2025-01-01T25:00"},
     "no such date or time"),
    ("strict_order", "deal", "D1", {"stages": [{"stage": "offer", "at": "2025-01-02T10:00"}],
                                    "status": "open", "closed_at": None},
     "strict stages: entry 1 must be lead"),
    ("strict_won_reaches_last", "deal", "D1", DEAL_WON,
     "a won deal must have reached the last stage"),
    ("stage_of_kind", "deal", "D1", {"kind": "manual"},
     "stages: stage offer is not a stage of this deal kind"),
    ("stage_reference", "deal", "D1", {"kind": "manual", "stages": [
        {"stage": "lead", "at": "2025-01-02T10:00"}, {"stage": "MSK", "at": "2025-01-03T10:00"}]},
     "stages[2].stage: no stage with key MSK"),
    ("none_kind_empty_history", "deal", "D1", {"kind": "none"},
     "a deal of a non-process kind has no stage history"),
    ("chronological", "deal", "D1", {"stages": [
        {"stage": "lead", "at": "2025-01-05T10:00"}, {"stage": "offer", "at": "2025-01-04T10:00"},
        {"stage": "contract", "at": "2025-01-10T10:00"}]},
     "stages[2].at: stage entries must be in chronological order"),
    ("first_entry_after_created", "deal", "D1", {"created_at": "2025-01-02T10:00"},
     "the first stage entry must not be before created_at"),
    ("closed_at_required", "deal", "D1", {"closed_at": None},
     "closed_at: required for a won or lost deal"),
    ("closed_at_only_closed", "deal", "D1", {"status": "open"},
     "closed_at: only a won or lost deal"),
    ("closed_after_last_stage", "deal", "D1", {"closed_at": "2025-01-09T10:00"},
     "closed_at: must not be before the last stage entry"),
    ("loss_reason_only_lost", "deal", "D1", {"loss_reason": "price"},
     "loss_reason: only a lost deal"),
    ("posted_not_open", "claim", "CL1", {"posted": True}, "posted: an open claim cannot be posted"),
    ("resolved_at_required", "claim", "CL1", {"status": "satisfied"},
     "resolved_at: required when the claim is not open"),
    ("resolved_at_only_closed", "claim", "CL1", {"resolved_at": "2025-03-05T10:00"},
     "resolved_at: an open claim has no resolved_at"),
    ("attachment_base64", "claim", "CL1", {"attachments": [{"name": "a.txt",
                                                            "content_base64": "@@"}]},
     "attachments[1].content_base64: not valid base64"),
    ("task_shape", "claim", "CL1", {"tasks": [{"name": "x", "done": False}]},
     "missing required field: tasks[1].description"),
    ("individual_needs_partner", "agreement", "A2", {"partner": None},
     "partner: an individual agreement needs a partner"),
    ("typical_has_no_partner", "agreement", "A1", {"partner": "P1"},
     "partner: a typical agreement has no partner"),
    ("based_on_typical", "agreement", "A2", {"based_on": "A2"}, "based_on"),
    ("valid_to_after_from", "agreement", "A2", {"valid_to": "2024-12-31"},
     "valid_to: must not be before valid_from"),
    ("schedule_sum", "agreement", "A1", {"payment_schedule": [{"percent": 90, "days": 0}]},
     "percents must sum to 100, not 90"),
    ("schedule_days", "agreement", "A1", {"payment_schedule": [{"percent": 100, "days": -1}]},
     "payment_schedule[1].days: must be at least 0"),
    ("interaction_end", "interaction", "I1", {"end": "2025-03-02T09:00"},
     "end: must not be before at"),
    ("subject_exactly_one", "interaction", "I1", {"subject": {"deal": "D1", "claim": "CL1"}},
     "subject: must be exactly one of"),
    ("subject_earlier", "interaction", "I1", {"subject": {"interaction": "I9"}},
     "subject.interaction: no interaction with key I9"),
    ("direction_only_directed", "interaction", "I1", {"kind": "meeting"},
     "direction: only calls, e-mails and SMS have a direction"),
    ("control_character", "partner", "P1", {"name": "Аль\x1bфа"},
     "name: control character U+001B at position 4"),
    ("line_feed_only_long_texts", "partner", "P1", {"name": "А\nБ"},
     "name: control character U+000A"),
]


@pytest.mark.parametrize(("kind", "key", "changes", "expected"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_rule(db: Database, kind: str, key: str, changes: dict[str, Any], expected: str) -> None:
    file_lines, line = base_with(kind, key, **changes)
    problems = problems_of(db, file_lines)
    assert any(number == line and expected in message for number, message in problems), problems
    assert all(table == "app_user" or rows == 0 for table, rows in count_rows(db).items())


def test_line_feed_allowed_in_comment(db: Database) -> None:
    from crm_tui.exchange.importer import import_lines

    file_lines, _line = base_with("partner", "P1", comment="строка 1\nстрока 2")
    assert import_lines(db, file_lines)["partner"] == 1


def test_duplicate_key(db: Database) -> None:
    file_lines = lines(BASE) + lines([BASE[-1]])
    assert problems_of(db, file_lines) == [
        (len(file_lines), "duplicate key I1: it appears earlier in the file")]


def test_bad_json_and_unknown_type(db: Database) -> None:
    file_lines = [*lines(BASE), "{broken", "", '{"type": "lead"}', "[1]", '{"type": "x", "v": NaN}']
    problems = problems_of(db, file_lines)
    numbers = [number for number, _message in problems]
    assert numbers == sorted(numbers)
    assert problems[0][0] == len(BASE) + 1 and "not valid JSON" in problems[0][1]
    assert (len(BASE) + 3, "unknown record type: lead; expected one of region, stage, "
            "partner_role, contact_role, demand_reason, loss_reason, claim_reason, price_type, "
            "deal_kind, user, partner, counterparty, contact, agreement, deal, claim, "
            "interaction") in problems
    assert (len(BASE) + 4, "a line must be a JSON object") in problems
    assert problems[-1][0] == len(BASE) + 5


def test_every_problem_is_reported(db: Database) -> None:
    records = [dict(record) for record in BASE]
    records[14] = {**records[14], "name": 1, "roles": ["x"]}
    records[-1] = {**records[-1], "kind": "fax"}
    problems = problems_of(db, lines(records))
    assert [number for number, _ in problems] == [15, 15, len(BASE)]


def test_existing_records_can_be_referenced(db: Database) -> None:
    from crm_tui.exchange.importer import import_lines

    import_lines(db, lines(BASE))
    extra = {"type": "interaction", "id": "I2", "kind": "sms", "topic": "SMS",
             "at": "2025-03-03T10:00", "status": "done", "subject": {"interaction": "I1"},
             "phone": "+7 916 123-45-67", "duration": 5}
    assert import_lines(db, lines([extra]))["interaction"] == 1
