"""`crm report NAME` imports what its one query and its output need: SQLAlchemy Core and the
report's own module, never the ORM, the table models, SQLModel, pydantic, Alembic, Textual or
the other reports (issue 24 §4: those imports were most of a report's run)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from crm_tui.reports.catalog import REPORTS, ReportSpec
from crm_tui.store.database import Database

NEVER = ["textual", "sqlmodel", "sqlalchemy.orm", "pydantic", "alembic", "crm_tui.store.models",
         "openpyxl", "babel", "rich"]
REPORT_MODULES = [f"crm_tui.reports.{spec.module}" for spec in REPORTS]
# A report may build on another's query (claim-structure counts claims as claim-satisfaction).
BUILDS_ON = {"claim_structure": {"claim_satisfaction"}}


def _loaded(url: str, args: list[str]) -> tuple[list[str], str]:
    program = (
        "import sys\n"
        "from crm_tui.cli.main import main\n"
        f"status = main(['--db', {url!r}, '--lang', 'ru', 'report', *{args!r}])\n"
        f"watched = {NEVER + REPORT_MODULES!r}\n"
        "print('LOADED:' + ','.join(sorted(m for m in watched if m in sys.modules)))\n"
        "sys.exit(status)\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            check=False)
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
