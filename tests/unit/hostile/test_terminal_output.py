"""Issue 21.2: no control byte reaches a terminal from the command line, whatever an import
file or the (shared) database holds; crm check names such stored text; xlsx copes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import small_jsonl_path

TITLE = "\x1b]0;pwned\x07"  # sets the terminal's window title
CLEAR = "\x1b[2J"
CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"  # OSC 52: writes the user's clipboard
C1 = "\x9b31m"  # the one-byte CSI
HOSTILE = TITLE + "A" + CLEAR + "B" + CLIPBOARD + C1 + "\x7f\r"


def crm(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
           "PYTHONIOENCODING": "utf-8"}
    env.pop("CRM_DB", None)
    return subprocess.run([sys.executable, "-m", "crm_tui", "--lang", "en", *args],
                          capture_output=True, env=env, timeout=120, check=False)


def assert_clean(output: bytes) -> None:
    """No C0 control but line feed and tab, no DEL, no C1 control."""
    text = output.decode("utf-8")
    bad = sorted({f"U+{ord(c):04X}" for c in text
                  if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F})
    assert not bad, (bad, text[:2000])


def assert_all_clean(result: subprocess.CompletedProcess[bytes]) -> None:
    assert_clean(result.stdout)
    assert_clean(result.stderr)
    assert b"Traceback" not in result.stderr, result.stderr.decode()


@pytest.fixture
def hostile_db(tmp_path: Path) -> str:
    """The spec's small.jsonl with control characters written in by raw SQL, as a colleague
    with a SQLite shell on the shared file could."""
    path = tmp_path / "hostile.sqlite3"
    assert crm(tmp_path, "--db", str(path), "import", str(small_jsonl_path())).returncode == 0
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE partner SET name = ? || name", (HOSTILE,))
        connection.execute("UPDATE interaction SET topic = ? || topic", (HOSTILE,))
        connection.execute("UPDATE app_user SET name = ? || name", (HOSTILE,))
        connection.execute("UPDATE classifier SET name = ? || name", (HOSTILE,))
    return str(path)


@pytest.mark.parametrize("args", [
    ("report", "event-calendar", "--from", "2025-01-01", "--to", "2026-12-31"),
    ("report", "event-calendar", "--format", "csv"),
    ("report", "event-calendar", "--format", "json"),
    ("report", "deal-effectiveness"),
    ("report", "funnel"),
    ("report", "claim-structure"),
    ("users",),
])
def test_commands_print_no_control_characters(tmp_path: Path, hostile_db: str,
                                              args: tuple[str, ...]) -> None:
    result = crm(tmp_path, "--db", hostile_db, *args)
    assert result.returncode == 0, result.stderr.decode()
    assert_all_clean(result)
    # Shown escaped (a narrow table column may cut the rest off).
    assert b"\\x1b" in result.stdout or b"\\u001b]0;pwned" in result.stdout


def test_report_json_on_stdout_stays_valid_json(tmp_path: Path, hostile_db: str) -> None:
    result = crm(tmp_path, "--db", hostile_db, "report", "event-calendar", "--format", "json")
    assert_all_clean(result)  # json.dumps alone leaves DEL and the C1 controls raw
    document = json.loads(result.stdout)
    assert any(row["partner"].startswith(HOSTILE) for row in document["rows"])


def test_check_names_stored_control_characters(tmp_path: Path, hostile_db: str) -> None:
    result = crm(tmp_path, "--db", hostile_db, "check")
    assert result.returncode == 1
    assert_all_clean(result)
    out = result.stdout.decode()
    assert "text: partner.name holds control characters in " in out
    assert "text: interaction.topic holds control characters in I000001" in out
    assert "text: app_user.name holds control characters in " in out
    assert "correct the text in the app" in out


def test_check_accepts_line_feeds_in_long_texts_only(tmp_path: Path, hostile_db: str) -> None:
    clean = tmp_path / "clean.sqlite3"
    assert crm(tmp_path, "--db", str(clean), "import", str(small_jsonl_path())).returncode == 0
    with sqlite3.connect(clean) as connection:
        connection.execute("UPDATE partner SET comment = 'two\nlines\tand a tab'")
    assert crm(tmp_path, "--db", str(clean), "check").returncode == 0
    with sqlite3.connect(clean) as connection:
        connection.execute("UPDATE partner SET name = 'two\nlines' WHERE key = 'P00001'")
    result = crm(tmp_path, "--db", str(clean), "check")
    assert result.returncode == 1
    assert "partner.name holds control characters in P00001" in result.stdout.decode()


def test_xlsx_of_such_a_database_is_written(tmp_path: Path, hostile_db: str) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "calendar.xlsx"
    result = crm(tmp_path, "--db", hostile_db, "report", "event-calendar", "--format", "xlsx",
                 "--output", str(target))
    assert result.returncode == 0, result.stderr.decode()
    assert_all_clean(result)
    sheet = load_workbook(target).active
    assert sheet is not None
    assert any(str(cell.value).startswith("\\x1b]0;pwned\\x07A")
               for row in sheet.iter_rows() for cell in row)


def test_import_messages_escape_what_the_file_holds(tmp_path: Path) -> None:
    records = [
        {"type": "region", "code": "MSK", "name": "M", TITLE + "field": 1},
        {"type": CLEAR + "type"},
        {"type": "partner", "id": "P1", "name": "N" + C1, "roles": ["client"],
         "region": CLIPBOARD},
    ]
    source = tmp_path / "bad.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                      encoding="utf-8")
    result = crm(tmp_path, "--db", str(tmp_path / "x.sqlite3"), "import", str(source))
    assert result.returncode == 1
    assert_all_clean(result)
    err = result.stderr.decode()
    assert "1: unknown field: \\x1b]0;pwned\\x07field" in err
    assert "2: unknown record type: \\x1b[2Jtype" in err


def test_import_csv_messages_escape_what_the_file_holds(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(f"name,region\nAlpha,{CLIPBOARD}\n", encoding="utf-8")
    database = str(tmp_path / "x.sqlite3")
    result = crm(tmp_path, "--db", database, "import-csv", "partners", str(source))
    assert result.returncode == 1
    assert_all_clean(result)
    assert "2: unknown region: \\x1b]52;c;ZXZpbA==\\x07" in result.stderr.decode()
    source.write_text(f"name,{TITLE}\nAlpha,x\n", encoding="utf-8")
    result = crm(tmp_path, "--db", database, "import-csv", "partners", str(source))
    assert result.returncode == 1
    assert_all_clean(result)
    assert "unknown columns: \\x1b]0;pwned\\x07" in result.stderr.decode()


def test_argument_errors_escape_the_argument(tmp_path: Path) -> None:
    result = crm(tmp_path, "--db", str(tmp_path / "x.sqlite3"), "report", TITLE)
    assert result.returncode != 0
    assert_all_clean(result)
    assert "\\x1b]0;pwned\\x07" in result.stderr.decode()


def test_export_of_such_a_database_and_its_import(tmp_path: Path, hostile_db: str) -> None:
    """The export is written; importing it refuses the control characters line by line,
    escaped, as crm check announced."""
    target = tmp_path / "out.jsonl"
    result = crm(tmp_path, "--db", hostile_db, "export", str(target))
    assert result.returncode == 0, result.stderr.decode()
    assert_all_clean(result)
    result = crm(tmp_path, "--db", str(tmp_path / "again.sqlite3"), "import", str(target))
    assert result.returncode == 1
    assert_all_clean(result)
    assert "name: control character U+001B at position 1 is not allowed" in \
        result.stderr.decode()
