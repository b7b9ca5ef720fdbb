"""Claim rules: outcome, posting, plan helpers, file name safety, size limit."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crm_tui.domain import claims as rules
from crm_tui.domain.claims import PlanTask
from crm_tui.domain.errors import DomainError, ValidationError


def test_satisfied_requires_resolution_and_date() -> None:
    with pytest.raises(ValidationError, match="resolution"):
        rules.check_outcome("satisfied", datetime(2026, 1, 1), "  ")
    with pytest.raises(ValidationError, match="date"):
        rules.check_outcome("not_satisfied", None, "")
    outcome = rules.check_outcome("not_satisfied", datetime(2026, 1, 1), "")
    assert outcome.status == "not_satisfied"
    assert rules.check_outcome("open", datetime(2026, 1, 1), "").resolved_at is None


def test_outcome_refuses_control_characters_and_unknown_status() -> None:
    with pytest.raises(ValidationError):
        rules.check_outcome("satisfied", datetime(2026, 1, 1), "ok\x1b[31m")
    with pytest.raises(ValidationError):
        rules.check_outcome("maybe", None, "")


def test_posting_rules() -> None:
    with pytest.raises(DomainError, match="open claim cannot be posted"):
        rules.check_can_post("open")
    rules.check_can_post("satisfied")
    with pytest.raises(DomainError, match="read-only"):
        rules.check_not_posted(True)


def test_discrepancy_act_needs_reference() -> None:
    with pytest.raises(ValidationError):
        rules.check_source("discrepancy_act", "")
    assert rules.act_reference("17", date(2026, 1, 9)) == "№ 17 of 09.01.2026"
    with pytest.raises(ValidationError):
        rules.act_reference(" ", date(2026, 1, 9))


def test_prefill_task_copies_nothing_that_goes_stale() -> None:
    # A copy of the claim's number, partner and reason never followed the claim's changes
    # ("Claim new claim Partner: …" for ever): the task is shown with its claim instead.
    task = rules.prefill_task(due=date(2026, 2, 1), assignee="ivanov")
    assert (task.name, task.description) == ("", "")
    assert (task.due, task.assignee) == (date(2026, 2, 1), "ivanov")


def test_plan_helpers() -> None:
    tasks = [PlanTask("a", due=date(2026, 1, 1)), PlanTask("b", done=True, due=date(2026, 1, 1)),
             PlanTask("c")]
    assert rules.progress(tasks) == (1, 3)
    assert rules.format_progress(1, 3) == "1 of 3"
    assert rules.is_overdue(tasks[0], date(2026, 1, 2))
    assert not rules.is_overdue(tasks[1], date(2026, 1, 2))
    assert not rules.is_overdue(tasks[2], date(2026, 1, 2))
    moved, index = rules.move(tasks, 0, 1)
    assert [t.name for t in moved] == ["b", "a", "c"] and index == 1
    same, index = rules.move(tasks, 0, -1)
    assert same == tasks and index == 0
    with pytest.raises(ValidationError):
        rules.check_task(PlanTask("  "))


@pytest.mark.parametrize(("name", "expected"), [
    ("../../x", "x"),
    ("/etc/passwd", "passwd"),
    ("..\\..\\win.ini", "win.ini"),
    ("C:\\Windows\\evil.exe", "evil.exe"),
    ("a\x00b.txt", "a_b.txt"),
    ("..", "attachment"),
    ("", "attachment"),
    (".hidden", "hidden"),
    ("CON.txt", "_CON.txt"),
    ("report.pdf", "report.pdf"),
    ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
])
def test_safe_file_name(name: str, expected: str) -> None:
    assert rules.safe_file_name(name) == expected


def test_size_limit() -> None:
    rules.check_attachment_size(1024 * 1024, 1)
    with pytest.raises(ValidationError, match="limit is 1 MB"):
        rules.check_attachment_size(1024 * 1024 + 1, 1)
