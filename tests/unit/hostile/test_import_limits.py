"""Issue 21.5: what an import may cost is bounded; hostile values are refused as
`LINE: message`; the ends of the calendar do not crash reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest

from crm_tui.cli.main import main
from crm_tui.exchange.importer import MAX_LINE_BYTES
from crm_tui.exchange.values import MAX_LONG_TEXT, MAX_TEXT
from crm_tui.store.database import Database
from tests.unit.exchange.helpers import BASE, base_with, lines, problems_of

# Runs `crm import /dev/stdin` fed 100 MB of NUL bytes (one line, like /dev/zero) through a
# pipe and reports the child's exit status, stderr, peak memory and time.
_MEASURE = textwrap.dedent("""
    import json, resource, subprocess, sys, time
    start = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-m", "crm_tui", "--lang", "en", "--db", sys.argv[1], "import",
         "/dev/stdin"], stdin=subprocess.PIPE, stderr=subprocess.PIPE, stdout=subprocess.PIPE)
    block = bytes(1 << 20)
    try:
        for _ in range(100):
            child.stdin.write(block)
    except BrokenPipeError:  # crm stopped reading: what the test wants
        pass
    try:
        child.stdin.close()
    except BrokenPipeError:
        pass
    err = child.stderr.read()
    child.stdout.read()
    child.wait(timeout=120)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    print(json.dumps({"status": child.returncode, "err": err.decode(), "peak_kib": peak,
                      "seconds": time.monotonic() - start}))
""")


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KiB and /dev/stdin")
def test_a_stream_of_nul_bytes_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-c", _MEASURE, str(tmp_path / "z.sqlite3")],
                            capture_output=True, text=True, env=env, timeout=300, check=True)
    report = json.loads(result.stdout)
    assert report["status"] == 1
    assert report["err"].startswith("1: the line is longer than 64 MiB"), report["err"]
    # The Python process with the ORM loaded takes about 100 MB; the line at most its limit.
    assert report["peak_kib"] < 100 * 1024 + 1.5 * MAX_LINE_BYTES / 1024, report
    assert report["seconds"] < 60, report


def test_a_binary_file_prints_the_first_100_problems(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "binary.jsonl"
    source.write_bytes(b"\xff\xfe\x00garbage\n" * 150 + b"{]\n" * 100)
    assert main(["--db", str(tmp_path / "b.sqlite3"), "import", str(source)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 102
    assert err[0] == "1: the line is not valid UTF-8"
    assert err[99] == "100: the line is not valid UTF-8"
    assert err[100] == "… and 150 more"
    assert err[101] == "crm: nothing was imported: 250 problem(s) found"


def test_problems_kept_are_bounded(db: Database) -> None:
    from crm_tui.exchange.errors import KEPT_PROBLEMS, ImportFailed
    from crm_tui.exchange.importer import import_lines

    with pytest.raises(ImportFailed) as failure:
        import_lines(db, ["{]"] * (KEPT_PROBLEMS + 500))
    assert len(failure.value.problems) == KEPT_PROBLEMS
    assert failure.value.count == KEPT_PROBLEMS + 500


def test_lines_longer_than_the_limit_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from crm_tui.exchange import importer

    monkeypatch.setattr(importer, "MAX_LINE_BYTES", 1000)
    monkeypatch.setattr(importer.bounded_lines, "__defaults__", (1000,))
    monkeypatch.setattr(importer, "_READ_CHUNK", 64)
    records = lines(BASE[:3])
    records[1] = records[1][:-1] + ', "name": "' + "x" * 2000 + '"}'
    source = tmp_path / "long.jsonl"
    source.write_text("\n".join(records) + "\n", encoding="utf-8")
    assert main(["--db", str(tmp_path / "l.sqlite3"), "import", str(source)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("2: the line is longer than 0 MiB (the most a line may hold); the rest "
                      "of the file was not read")


def test_lines_up_to_the_limit_are_read_whole(tmp_path: Path) -> None:
    from crm_tui.exchange.importer import TOO_LONG, bounded_lines

    source = tmp_path / "lines"
    source.write_bytes(b"a" * 10 + b"\n" + b"b" * 9 + b"\n" + b"c" * 10)
    with source.open("rb") as handle:
        assert list(bounded_lines(handle, 10)) == [b"a" * 10 + b"\n", b"b" * 9 + b"\n",
                                                   b"c" * 10]
    source.write_bytes(b"a\n" + b"b" * 11 + b"\nc\n")
    with source.open("rb") as handle:
        assert list(bounded_lines(handle, 10)) == [b"a\n", TOO_LONG]


@pytest.mark.parametrize(("field", "limit"), [("name", MAX_TEXT), ("comment", MAX_LONG_TEXT)])
def test_text_fields_are_capped(db: Database, field: str, limit: int) -> None:
    file_lines, line = base_with("partner", "P1", **{field: "я" * (limit + 1)})
    assert problems_of(db, file_lines) == [
        (line, f"{field}: {limit + 1} characters long; at most {limit} are allowed")]
    file_lines, line = base_with("partner", "P1", **{field: "я" * limit})
    from crm_tui.exchange.importer import import_lines
    assert import_lines(db, file_lines)["partner"] == 1


def test_a_lone_surrogate_is_refused(db: Database) -> None:
    file_lines, line = base_with("partner", "P1", name="X")
    file_lines[line - 1] = file_lines[line - 1].replace('"X"', '"A\\ud800B"')
    problems = problems_of(db, file_lines)[:1]  # later lines refer to the refused partner
    assert problems == [(line, "a string holds a lone surrogate (\\ud800-\\udfff), which is "
                               "not a character")]
    file_lines[line - 1] = file_lines[line - 1].replace("\\ud800", "\\ud83d\\ude00")  # a pair
    from crm_tui.exchange.importer import import_lines
    assert import_lines(db, file_lines)["partner"] == 1


def test_a_lone_surrogate_in_a_field_name_is_refused(db: Database) -> None:
    file_lines, line = base_with("partner", "P1")
    file_lines[line - 1] = file_lines[line - 1][:-1] + ', "\\udc00": 1}'
    assert problems_of(db, file_lines)[0][0] == line


def test_duplicate_keys_are_refused(db: Database) -> None:
    file_lines, line = base_with("partner", "P1")
    file_lines[line - 1] = file_lines[line - 1][:-1] + ', "name": "Другое"}'
    # (later lines refer to the refused partner)
    assert problems_of(db, file_lines)[0] == (line, "a field appears twice in one object: name")
    nested = [*file_lines[:line - 1], lines([BASE[line - 1]])[0], *file_lines[line:]]
    index = next(n for n, r in enumerate(BASE) if r["type"] == "deal")
    nested[index] = nested[index].replace('{"stage": "lead", ', '{"stage": "lead", "stage": "x", ')
    assert problems_of(db, nested) == [(index + 1, "a field appears twice in one object: stage")]


@pytest.mark.parametrize("amount", ["١٢٣", "１２３.00", "12\u0663"])
def test_money_with_non_ascii_digits_is_refused(db: Database, amount: str) -> None:
    file_lines, line = base_with("deal", "D1", amount=amount)
    assert problems_of(db, file_lines) == [
        (line, f"amount: money must be written with the digits 0-9: {amount}")]


@pytest.mark.parametrize("amount", ["12345678901234567", "99999999999999999999.00",
                                    "1" * 5000])
def test_a_too_large_amount_says_so(db: Database, amount: str) -> None:
    file_lines, line = base_with("deal", "D1", amount=amount)
    [(number, message)] = problems_of(db, file_lines)
    assert number == line
    assert message.startswith("amount: amount is too large: ")


def test_dates_need_ascii_digits(db: Database) -> None:
    file_lines, line = base_with("deal", "D1", created_at="２０２５-01-01T10:00")
    assert problems_of(db, file_lines)[0] == (
        line, "created_at: must be a timestamp YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS")


REPORTS = ["funnel", "deal-effectiveness", "event-calendar", "claim-satisfaction",
           "claim-structure", "primary-demand", "claim-dynamics", "demand-lines",
           "claim-tasks"]


@pytest.mark.parametrize("name", REPORTS)
def test_reports_at_the_ends_of_the_calendar(small_db: Database, name: str) -> None:
    from crm_tui.reports.base import ReportParams
    from crm_tui.reports.registry import compute

    started = time.monotonic()
    for low, high in [(None, date.max), (date.max, date.max), (date.min, date(1, 2, 1))]:
        compute(small_db, name, ReportParams(date_from=low, date_to=high))
    assert time.monotonic() - started < 30


def test_the_cli_takes_the_last_day_of_the_calendar(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import small_jsonl_path

    database = str(tmp_path / "c.sqlite3")
    assert main(["--db", database, "import", str(small_jsonl_path())]) == 0
    capsys.readouterr()
    assert main(["--db", database, "report", "claim-dynamics", "--to", "9999-12-31",
                 "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("9999-12,")
    assert main(["--db", database, "report", "funnel", "--from", "0001-01-01",
                 "--to", "9999-12-31", "--format", "json"]) == 0
    assert main(["--db", database, "calendar", "export", "--to", "9999-12-31",
                 str(tmp_path / "c.ics")]) == 0


def test_claim_dynamics_drilldown_in_the_calendars_last_month(small_db: Database) -> None:
    from crm_tui.reports.base import ReportParams
    from crm_tui.reports.drilldown import DrillSpec, drill_count, drill_fetch

    spec = DrillSpec("claim-dynamics", "open_at_end", ("9999-12",),
                     ReportParams(date_to=date.max))
    with small_db.engine.connect() as connection:
        assert drill_count(connection, spec) == len(drill_fetch(connection, spec, 0, 1000))
