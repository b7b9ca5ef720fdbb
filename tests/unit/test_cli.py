"""The `crm` command line: version, help of every subcommand, --db anywhere, CRM_DB."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crm_tui import __version__
from crm_tui.cli.main import COMMANDS, main


def run_crm(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crm_tui", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert __version__ in capsys.readouterr().out


@pytest.mark.parametrize("command", sorted(set(COMMANDS)))
def test_every_subcommand_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert "--db" in capsys.readouterr().out


def test_db_option_after_the_subcommand(tmp_path: Path) -> None:
    target = tmp_path / "after.sqlite3"
    assert main(["db", "upgrade", "--db", str(target)]) == 0
    assert target.exists()


def test_db_option_before_the_subcommand(tmp_path: Path) -> None:
    target = tmp_path / "before.sqlite3"
    assert main(["--db", str(target), "db", "upgrade"]) == 0
    assert target.exists()


def test_crm_db_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "env.sqlite3"
    monkeypatch.setenv("CRM_DB", str(target))
    assert main(["db", "upgrade"]) == 0
    assert target.exists()


def test_russian_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "ru", "--help"])
    assert "базы данных" in capsys.readouterr().out.lower()


def test_default_database_lives_in_the_user_data_dir(tmp_path: Path) -> None:
    import os

    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"))
    env.pop("CRM_DB", None)
    result = run_crm("db", "upgrade", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "crm-tui" / "crm.sqlite3").exists()
