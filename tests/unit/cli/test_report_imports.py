"""`crm report NAME` on SQLite imports what its queries and its output need: the report's own
module and its SQL compiled ahead, run on the sqlite3 driver — never SQLAlchemy (not even
Core), the table models, SQLModel, pydantic, Alembic, Textual or the other reports (issue 24
§4: those imports were most of a report's run). A database it cannot simply read goes the
usual way, which refuses it in one line."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crm_tui.reports.catalog import REPORTS, ReportSpec
from crm_tui.store.database import Database

NEVER = ["textual", "sqlmodel", "sqlalchemy", "sqlalchemy.orm", "pydantic", "alembic",
         "crm_tui.store.models", "openpyxl", "babel", "rich"]
REPORT_MODULES = [f"crm_tui.reports.{spec.module}" for spec in REPORTS]
# A report may build on another's query (claim-structure counts claims as claim-satisfaction).
BUILDS_ON = {"claim_structure": {"claim_satisfaction"}}


def _run(url: str, args: list[str], lang: str = "ru") -> subprocess.CompletedProcess[str]:
    program = (
        "import sys\n"
        "from crm_tui.cli.main import main\n"
        f"status = main(['--db', {url!r}, '--lang', {lang!r}, 'report', *{args!r}])\n"
        f"watched = {NEVER + REPORT_MODULES!r}\n"
        "print('LOADED:' + ','.join(sorted(m for m in watched if m in sys.modules)))\n"
        "sys.exit(status)\n"
    )
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          check=False)


def _loaded(url: str, args: list[str]) -> tuple[list[str], str]:
    result = _run(url, args)
    assert result.returncode == 0, result.stderr
    output, loaded = result.stdout.rsplit("LOADED:", 1)
    return [name for name in loaded.strip().split(",") if name], output


@pytest.mark.parametrize("spec", REPORTS, ids=[spec.name for spec in REPORTS])
def test_a_report_imports_its_query_and_nothing_heavy(small_db: Database,
                                                    spec: ReportSpec) -> None:
    args = [spec.name, "--format", "json"]
    if "now" in spec.filters:
        args += ["--now", "2026-12-03T12:00"]
    loaded, output = _loaded(small_db.url, args)
    assert json.loads(output)["report"] == spec.name  # it did run the report
    expected = {spec.module} | BUILDS_ON.get(spec.module, set())
    assert set(loaded) == {f"crm_tui.reports.{module}" for module in expected}


def test_csv_output_needs_no_more(small_db: Database) -> None:
    loaded, output = _loaded(small_db.url, ["claim-satisfaction", "--format", "csv"])
    assert output.startswith("reason,")
    assert loaded == ["crm_tui.reports.claim_satisfaction"]


def test_the_table_for_people_loads_rich_and_babel_only_then(small_db: Database) -> None:
    loaded, _output = _loaded(small_db.url, ["funnel"])
    assert "rich" in loaded and "sqlmodel" not in loaded and "alembic" not in loaded


def _stamp(db: Database, revision: str) -> None:
    with sqlite3.connect(db.url.removeprefix("sqlite:///")) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))


@pytest.mark.parametrize(("revision", "says"), [
    ("0017_pgscale", "has an older schema (revision 0017_pgscale); upgrade it with: crm db "
                     "upgrade"),
    ("9999_future", "was made by a newer crm-tui (revision 9999_future)"),
])
def test_a_database_of_another_schema_is_refused_in_one_line(
        small_db: Database, revision: str, says: str) -> None:
    _stamp(small_db, revision)
    result = _run(small_db.url, ["claim-structure", "--format", "json"], "en")
    assert result.returncode == 1
    assert result.stdout.startswith("LOADED:")  # no report printed
    assert result.stderr.startswith("crm: ") and says in result.stderr
    assert result.stderr.count("\n") == 1  # one line, no traceback


def test_a_database_file_that_is_not_sqlite_is_refused_in_one_line(tmp_path: Path) -> None:
    text = tmp_path / "notes.sqlite3"
    text.write_text("not a database\n", encoding="utf-8")
    result = _run(f"sqlite:///{text}", ["claim-structure", "--format", "json"], "en")
    assert result.returncode == 1
    assert result.stderr.startswith("crm: ") and "not a crm-tui database" in result.stderr
    assert result.stderr.count("\n") == 1
