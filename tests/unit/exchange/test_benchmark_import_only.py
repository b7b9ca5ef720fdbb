"""`benchmarks/run.py --only import` measures the import against its floor alone (issue 24
§2): without building the demo database or starting the app, with the rounds asked for."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

RUN = Path(__file__).resolve().parents[3] / "benchmarks" / "run.py"


def load_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmarks_run", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_only_import_measures_the_import_alone(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    run = load_run()
    asked: list[int] = []

    def import_rate(rounds: int = 1) -> dict[str, float]:
        asked.append(rounds)
        return {"records": 10, "crm import wall s": 3.0, "floor wall s": 1.0, "ratio wall": 3.0}

    def nothing_else(*_args: Any) -> Any:
        raise AssertionError("only the import is measured")

    monkeypatch.setattr(run, "import_rate", import_rate)
    for name in ("database", "cold_starts", "probe", "reports", "search_queries"):
        monkeypatch.setattr(run, name, nothing_else)
    monkeypatch.setattr(run.subprocess, "run", nothing_else)
    monkeypatch.setattr(sys, "argv", ["run.py", "--only", "import", "--rounds", "3"])
    assert run.main() == 0
    assert asked == [3]
    assert json.loads(capsys.readouterr().out)["ratio wall"] == 3.0


def test_only_accepts_nothing_but_import() -> None:
    run = load_run()
    assert run.parse_args([]).only is None
    with pytest.raises(SystemExit):
        run.parse_args(["--only", "reports"])
