"""Broken environments: a C locale with an ASCII output encoding, a HOME nobody may write
to, a shared (setgid) database folder; and every text file opened with an encoding."""

from __future__ import annotations

import ast
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from crm_tui.cli.main import main
from crm_tui.store.database import Database
from tests.conftest import REPO_ROOT, small_jsonl_path

ASCII_ENV = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": "ascii"}


def _crm(argv: list[str], env: dict[str, str], *, other_account: bool = False,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`crm ARGV` in a child process (as an unprivileged account with `other_account`,
    where root would be allowed everything)."""
    prefix = (["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
              if other_account and os.geteuid() == 0 else [])
    base = {key: value for key, value in os.environ.items()
            if not key.startswith(("LC_", "XDG_", "PYTHON")) and key != "LANG"}
    return subprocess.run([*prefix, sys.executable, "-m", "crm_tui", *argv],
                          capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL,
                          env={**base, "PYTHONDONTWRITEBYTECODE": "1", **env},
                          cwd=REPO_ROOT, encoding="ascii", errors="strict")


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with Russian names in it."""
    path = tmp_path_factory.mktemp("office") / "crm.sqlite3"
    assert main(["--db", str(path), "import", str(small_jsonl_path())]) == 0
    return path


@pytest.mark.parametrize("argv", [
    ["users"], ["--lang", "ru", "users"], ["report", "funnel"],
    ["--lang", "ru", "report", "deal-effectiveness"], ["check"], ["--lang", "ru", "check"],
    ["export-csv", "partners", "OUT"], ["export", "OUT"],
], ids=lambda argv: " ".join(argv))
def test_commands_work_in_an_ascii_c_locale(argv: list[str], office: Path, tmp_path: Path) -> None:
    argv = [str(tmp_path / "out") if word == "OUT" else word for word in argv]
    result = _crm(["--db", str(office), *argv], {**ASCII_ENV, "HOME": str(tmp_path)})
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_help_and_bad_database_in_russian_in_an_ascii_c_locale(tmp_path: Path) -> None:
    env = {**ASCII_ENV, "HOME": str(tmp_path)}
    result = _crm(["--lang", "ru", "--help"], env)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    result = _crm(["--lang", "ru", "--db", str(tmp_path), "users"], env)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    # Russian the terminal cannot show is escaped, the path is readable.
    assert str(tmp_path) in result.stderr and "\\u" in result.stderr


@pytest.fixture
def locked_home() -> Iterator[Path]:
    """A HOME nobody but root may write to (outside pytest's folder, which other accounts
    may not enter)."""
    home = Path(tempfile.mkdtemp(prefix="crm-home-"))
    home.chmod(0o555)
    yield home
    home.chmod(0o755)
    shutil.rmtree(home)


@pytest.mark.parametrize("argv", [["users"], ["report", "funnel"], ["import", "IMPORT"],
                                  ["demo"], ["--demo", "users"], []],
                         ids=lambda argv: " ".join(argv) or "the app")
def test_non_writable_home_says_why_in_one_line(argv: list[str], locked_home: Path) -> None:
    argv = [str(small_jsonl_path()) if word == "IMPORT" else word for word in argv]
    result = _crm(argv, {"HOME": str(locked_home)}, other_account=True, timeout=60)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("crm: "), result.stderr
    assert str(locked_home / ".local" / "share" / "crm-tui") in lines[0]


def test_setgid_folder_changes_no_other_file_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o2770)
    elsewhere = tmp_path / "export.jsonl"
    previous = os.umask(0o022)
    try:
        database = Database.open(f"sqlite:///{shared / 'crm.sqlite3'}")
        database.close()
        current = os.umask(0o022)
        assert current == 0o022  # the process umask was left alone
        assert main(["--db", str(shared / "crm.sqlite3"), "export", str(elsewhere)]) == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((shared / "crm.sqlite3").stat().st_mode) == 0o664  # as docs say
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o644


def _opens_without_encoding(tree: ast.AST) -> list[int]:
    """Lines calling open()/read_text()/write_text() on text without an encoding."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else (
            func.attr if isinstance(func, ast.Attribute) else "")
        if name not in ("open", "read_text", "write_text"):
            continue
        if name == "open" and not isinstance(func, ast.Name):
            continue  # os.open, Database.open, ...: not text files
        if any(keyword.arg == "encoding" for keyword in node.keywords):
            continue
        modes = [arg.value for arg in node.args[1:2] if isinstance(arg, ast.Constant)]
        modes += [kw.value.value for kw in node.keywords
                  if kw.arg == "mode" and isinstance(kw.value, ast.Constant)]
        if any("b" in str(mode) for mode in modes):
            continue
        lines.append(node.lineno)
    return lines


def test_every_text_file_is_opened_with_an_encoding() -> None:
    found = []
    for path in sorted((REPO_ROOT / "crm_tui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(REPO_ROOT)}:{line}" for line in _opens_without_encoding(tree)]
    assert found == []
