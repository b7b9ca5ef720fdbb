"""The .ics export parsed back with icalendar; `crm calendar export`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from crm_tui.calendar_ics import export_ics
from crm_tui.cli.main import main
from crm_tui.store.database import Database
from tests.unit.interactions.helpers import HOSTILE, SAFE_HOSTILE, interaction, load


@pytest.fixture
def data(db: Database, fixed_now: datetime) -> Database:
    load(db,
         interaction("I1", "2026-01-10T10:00:00", kind="meeting", end="2026-01-10T11:30:00",
                     place="Office 5", text="Agenda\nline 2"),
         interaction("I2", "2026-01-12T15:00:00", topic=SAFE_HOSTILE, manager="petrova"),
         interaction("I3", "2026-01-13T10:00:00", status="done"),
         interaction("I4", "2026-02-13T10:00:00"))
    return db


def events(data: bytes) -> list:
    return [c for c in Calendar.from_ical(data).walk("VEVENT")]


def test_ics_round_trip(data: Database) -> None:
    parsed = events(export_ics(data, datetime(2026, 1, 1), datetime(2026, 2, 1)))
    assert [str(e["uid"]) for e in parsed] == ["I1@crm-tui", "I2@crm-tui"]
    meeting = parsed[0]
    assert meeting.decoded("dtstart") == datetime(2026, 1, 10, 10, 0)
    assert meeting.decoded("dtend") == datetime(2026, 1, 10, 11, 30)
    assert str(meeting["location"]) == "Office 5"
    assert "Agenda\nline 2" in str(meeting["description"])
    assert str(meeting["summary"]) == "Topic I1"
    call = parsed[1]
    assert str(call["summary"]) == SAFE_HOSTILE
    assert call.decoded("dtend") == datetime(2026, 1, 12, 15, 30)


def test_ics_manager_filter(data: Database) -> None:
    parsed = events(export_ics(data, datetime(2026, 1, 1), datetime(2027, 1, 1), "petrova"))
    assert [str(e["uid"]) for e in parsed] == ["I2@crm-tui"]


def test_cli_export(data: Database, db_url: str, tmp_path: Path,
                    capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.ics"
    status = main(["calendar", "export", str(target), "--db", db_url, "--lang", "en",
                   "--from", "2026-01-01", "--to", "2026-01-31"])
    assert status == 0
    assert "2 events written" in capsys.readouterr().out
    assert len(events(target.read_bytes())) == 2
    assert main(["calendar", "export", str(target), "--db", db_url, "--lang", "en"]) == 0
    assert len(events(target.read_bytes())) == 3


def test_cli_bad_period(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["calendar", "export", str(tmp_path / "x.ics"), "--db", db_url, "--lang", "en",
                   "--from", "2026-02-01", "--to", "2026-01-01"])
    assert status == 1
    assert "--to must not be before --from" in capsys.readouterr().err


def test_hostile_constant_is_hostile() -> None:
    assert "\x1b" in HOSTILE
