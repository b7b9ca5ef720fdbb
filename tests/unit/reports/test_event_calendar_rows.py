"""event-calendar: the work per row stays per row, the work per subject and kind is done once
(346k in-progress interactions of the huge demo set took 1.5× their bare SQL on SQLite, 3×
on PostgreSQL, when each row labelled its subject and its kind)."""

from __future__ import annotations

from typing import Any

import pytest

from crm_tui.reports import event_calendar
from crm_tui.store.database import Database
from tests.unit.reports.conftest import claims, classifiers, deals, interactions, load
from tests.unit.reports.helpers import report


def _more_on_the_same_subjects() -> list[dict[str, Any]]:
    base = {"type": "interaction", "topic": "Topic", "status": "in_progress"}
    return [{**base, "id": f"J{number}", "kind": "call", "at": f"2025-03-0{number}T1{number}:05",
             "subject": {"deal": "D1"} if number % 2 else {"claim": "C1"}}
            for number in range(2, 8)]


def test_each_subject_is_labelled_once(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    load(db, classifiers() + deals() + claims() + interactions()
         + _more_on_the_same_subjects())
    labelled: list[str] = []
    label = event_calendar._subject_label

    def counting(word: str, key: str, name: str | None) -> str:
        labelled.append(key)
        return label(word, key, name)

    monkeypatch.setattr(event_calendar, "_subject_label", counting)
    document = report(db, "event-calendar", now="2025-03-05T12:00")
    subjects = [row["subject"] for row in document["rows"] if row["subject"]]
    assert len(subjects) == 9 and sorted(labelled) == sorted(
        {subject.partition(":")[2] for subject in subjects})
    assert document["totals"] == {"count": 10, "overdue": 5}
    assert [(row["id"], row["time"], row["overdue"]) for row in document["rows"][:4]] == [
        ("I1", "09:00", True), ("I2", "09:00", True), ("J2", "12:05", True),
        ("J3", "13:05", True)]



def test_the_database_gives_day_time_and_overdue_and_now_itself_is_not_overdue(
        db: Database) -> None:
    load(db, classifiers() + deals() + claims() + interactions()
         + _more_on_the_same_subjects())
    document = report(db, "event-calendar", now="2025-03-02T12:05")
    shown = [(row["id"], row["date"], row["time"], row["overdue"])
             for row in document["rows"] if row["id"].startswith("J")]
    assert shown[:3] == [("J2", "2025-03-02", "12:05", False),
                         ("J3", "2025-03-03", "13:05", False),
                         ("J4", "2025-03-04", "14:05", False)]
    earlier = report(db, "event-calendar", now="2025-03-02T12:05:01")
    assert [row["overdue"] for row in earlier["rows"] if row["id"] == "J2"] == [True]
    assert all(type(row["overdue"]) is bool for row in earlier["rows"])
