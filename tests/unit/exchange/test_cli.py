"""`crm import`, `crm export` and `crm demo` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_tui.cli.main import main
from tests.conftest import small_jsonl_path
from tests.unit.exchange.helpers import BASE, base_with, lines


def test_import_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = str(tmp_path / "cli.sqlite3")
    assert main(["--db", database, "import", str(small_jsonl_path())]) == 0
    output = capsys.readouterr().out
    assert "deal: 36" in output and "interaction: 72" in output
    target = tmp_path / "out.jsonl"
    assert main(["export", str(target), "--db", database]) == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == 185


def test_import_failure_prints_every_problem(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    file_lines, line = base_with("partner", "P1", name=None, roles=["x"])
    source = tmp_path / "bad.jsonl"
    source.write_text("\n".join([*file_lines, "{oops"]) + "\n", encoding="utf-8")
    database = str(tmp_path / "cli.sqlite3")
    assert main(["--db", database, "import", str(source)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{line}: missing required field: name"
    assert err[1].startswith(f"{line}: roles[1]: must be one of")
    assert err[2].startswith(f"{len(BASE) + 1}: not valid JSON")
    assert err[-1].startswith("crm: ")


def test_import_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "x.sqlite3"), "import", str(tmp_path / "none")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "demo.sqlite3"), "demo", "--seed", "2"]) == 0
    assert "partner: 50" in capsys.readouterr().out


def test_import_russian_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text("\n".join(lines(BASE[:1])) + "\n{\n", encoding="utf-8")
    assert main(["--lang", "ru", "--db", str(tmp_path / "r.sqlite3"), "import", str(source)]) == 1
    assert capsys.readouterr().err.startswith("2: ")
