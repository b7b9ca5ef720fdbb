"""crm_tui/reports/sqlite_sql/ is what scripts/compile_report_sql.py writes from the reports'
current statements: a changed report query fails here until the script is run again."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from crm_tui.reports.base import ReportParams
from crm_tui.reports.catalog import BY_NAME

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "compile_report_sql.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compile_report_sql", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_compiled_sql_is_up_to_date() -> None:
    script = _script()
    expected = script.expected_files()
    on_disk = {path.name: path.read_text(encoding="utf-8")
               for path in script.TARGET.glob("*.py")}
    assert sorted(on_disk) == sorted(expected)
    stale = [name for name, text in expected.items() if on_disk[name] != text]
    assert stale == [], f"run: python scripts/compile_report_sql.py ({', '.join(stale)})"


def test_a_changed_query_is_noticed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check compares the SQL itself: a changed statement gives a different text."""
    from crm_tui.reports import claim_satisfaction

    script = _script()
    spec = BY_NAME["claim-satisfaction"]
    before = script.render(spec)
    original = claim_satisfaction.statements

    def changed(dialect: str, params: ReportParams) -> dict[str, Any]:
        return {name: statement.limit(5)
                for name, statement in original(dialect, params).items()}

    monkeypatch.setattr(claim_satisfaction, "statements", changed)
    assert script.render(spec) != before
