"""Every bad database gets one clear line: a folder, a text file, a damaged file, a
read-only place, an unreachable or silent PostgreSQL server, a missing driver, an unknown
URL, a database made by a newer crm-tui; commands that only read never create or upgrade
a database; --demo works with every subcommand; "?" and "#" belong to the file name."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crm_tui.cli.main import main
from crm_tui.config import default_db_path, demo_db_path
from crm_tui.store import migrate
from crm_tui.store.database import Database
from crm_tui.store.engine import make_engine
from tests.conftest import small_jsonl_path

WRITE_COMMANDS = [["import", "IMPORT"], ["db", "optimize"], ["users", "set-role", "x", "admin"]]
READ_COMMANDS = [["users"], ["report", "funnel"], ["export", "OUT"],
                 ["export-csv", "partners", "OUT"], ["check"], ["backup", "OUT"],
                 ["calendar", "export", "OUT"]]


def _argv(command: list[str], tmp_path: Path) -> list[str]:
    out = str(tmp_path / "out-file")
    return [str(small_jsonl_path()) if word == "IMPORT" else out if word == "OUT" else word
            for word in command]


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("crm: ")
    return lines[0]


def _damaged(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.executescript("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
    connection.close()
    data = bytearray(path.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)  # a valid header, garbage after it
    path.write_bytes(bytes(data))


@pytest.fixture
def bad(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """kind -> (--db value, what the message must contain)."""
    folder = tmp_path / "a folder"
    folder.mkdir()
    text = tmp_path / "notes.txt"
    text.write_text("hello, this is no database\n", encoding="utf-8")
    damaged = tmp_path / "damaged.sqlite3"
    _damaged(damaged)
    return {
        "folder": (str(folder), f"{folder} is a folder"),
        "text": (str(text), f"{text} is not a crm-tui database"),
        "damaged": (str(damaged), f"{damaged} is damaged"),
        "closed-port": ("postgresql+psycopg://crm:secret@127.0.0.1:1/crm",
                        "cannot connect to the PostgreSQL server at 127.0.0.1:1"),
        "bogus-scheme": ("bogus://somewhere/x", "bogus://somewhere/x is not a database"),
    }


@pytest.mark.parametrize("kind", ["folder", "text", "damaged", "closed-port", "bogus-scheme"])
@pytest.mark.parametrize("command", [["users"], ["report", "funnel"], ["export", "OUT"],
                                     ["import", "IMPORT"], ["db", "optimize"]],
                         ids=lambda c: " ".join(c))
def test_bad_database_gets_one_line(kind: str, command: list[str], tmp_path: Path,
                                    bad: dict[str, tuple[str, str]],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    value, expected = bad[kind]
    assert main(["--db", value, *_argv(command, tmp_path)]) == 1
    line = _one_line(capsys)
    assert expected in line
    assert "secret" not in line


def test_bad_database_line_is_in_the_ui_language(bad: dict[str, tuple[str, str]],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "ru", "--db", bad["folder"][0], "users"]) == 1
    line = _one_line(capsys)
    assert bad["folder"][0] in line and "папка" in line


def test_missing_postgresql_driver(monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg fails
    assert main(["--db", "postgresql+psycopg://crm@127.0.0.1/crm", "users"]) == 1
    assert "pip install 'crm-tui[postgres]'" in _one_line(capsys)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port whose listener accepts connections (the kernel completes the handshake)
    and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


def test_silent_postgresql_server_times_out(silent_server: int, tmp_path: Path) -> None:
    url = f"postgresql+psycopg://crm:crm@127.0.0.1:{silent_server}/crm"
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "crm_tui", "--db", url, "users"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "XDG_DATA_HOME": str(tmp_path)})
    took = time.monotonic() - started
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "did not answer in time" in result.stderr
    assert took < 20, took


def _as_other_account(argv: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """Run crm as an account without write permission where root would have it anyway."""
    prefix = (["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
              if os.geteuid() == 0 else [])
    env = {key: value for key, value in os.environ.items() if not key.startswith("XDG_")}
    env.update(HOME=str(home), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([*prefix, sys.executable, "-m", "crm_tui", *argv],
                          capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture
def read_only_place() -> Iterator[Path]:
    """A folder holding a database, neither writable by the account _as_other_account uses
    (outside pytest's own folder, which other accounts may not enter)."""
    place = Path(tempfile.mkdtemp(prefix="crm-ro-"))
    database = Database.open(f"sqlite:///{place / 'crm.sqlite3'}")
    database.close()
    (place / "crm.sqlite3").chmod(0o444)
    place.chmod(0o555)
    yield place
    place.chmod(0o755)
    shutil.rmtree(place)


@pytest.mark.parametrize("command", [["users"], ["report", "funnel"],
                                     ["import", "IMPORT"], ["db", "optimize"]],
                         ids=lambda c: " ".join(c))
def test_read_only_database_gets_one_line(read_only_place: Path, command: list[str]) -> None:
    path = read_only_place / "crm.sqlite3"
    argv = [str(small_jsonl_path()) if word == "IMPORT" else word for word in command]
    result = _as_other_account(["--db", str(path), *argv], read_only_place)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("crm: ") and len(result.stderr.strip().splitlines()) == 1
    assert f"no permission to use {path}" in result.stderr


def test_new_database_in_read_only_folder(read_only_place: Path) -> None:
    path = read_only_place / "new.sqlite3"
    result = _as_other_account(["--db", str(path), "import", str(small_jsonl_path())],
                               read_only_place)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"folder {read_only_place} is not writable" in result.stderr


def _files(folder: Path) -> list[str]:
    """The files in `folder` but SQLite's own -wal and -shm (which a read-only connection
    to a WAL database may leave behind)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm")))


# ---------------------------------------------------------------- a newer crm-tui's database
@pytest.fixture
def newer_db(tmp_path: Path) -> Path:
    path = tmp_path / "newer.sqlite3"
    Database.open(f"sqlite:///{path}").close()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = 'f00dface9999'")
    connection.commit()
    connection.close()
    return path


@pytest.mark.parametrize("command", [*WRITE_COMMANDS, *READ_COMMANDS, ["db", "upgrade"]],
                         ids=lambda c: " ".join(c))
def test_newer_database_is_refused_untouched(newer_db: Path, command: list[str], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    before = newer_db.read_bytes()
    assert main(["--db", str(newer_db), *_argv(command, tmp_path)]) == 1
    line = _one_line(capsys)
    assert ("this database was made by a newer crm-tui (revision f00dface9999); "
            "upgrade crm-tui") in line
    assert newer_db.read_bytes() == before
    assert _files(tmp_path) == ["newer.sqlite3"]  # no .bak copy, no output


# ---------------------------------------------------------------- commands that only read
@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: " ".join(c))
def test_read_command_never_creates_a_database(command: list[str], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    typo = tmp_path / "crm.sqltie3"
    assert main(["--db", str(typo), *_argv(command, tmp_path)]) == 1
    assert f"no database at {typo}" in _one_line(capsys)
    assert list(tmp_path.iterdir()) == []
    assert not default_db_path().exists()


def _old_schema_database(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0001")
    engine.dispose()


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: " ".join(c))
def test_read_command_never_upgrades(command: list[str], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    if migrate.head_revision() == "0001":
        pytest.fail("this test needs a schema with more than one revision")
    path = tmp_path / "old.sqlite3"
    _old_schema_database(path)
    before = path.read_bytes()
    assert main(["--db", str(path), *_argv(command, tmp_path)]) == 1
    line = _one_line(capsys)
    assert "older schema (revision 0001)" in line and "crm db upgrade" in line
    assert path.read_bytes() == before
    assert _files(tmp_path) == ["old.sqlite3"]


def test_db_upgrade_still_upgrades(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "old.sqlite3"
    _old_schema_database(path)
    assert main(["--db", str(path), "db", "upgrade"]) == 0
    assert main(["--db", str(path), "users"]) == 0


# ---------------------------------------------------------------- --demo everywhere
@pytest.mark.parametrize("argv", [["--demo", "report", "funnel", "--format", "csv"],
                                  ["report", "funnel", "--format", "csv", "--demo"]])
def test_demo_works_with_subcommands(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) > 2  # stages with deals, not an empty report
    assert demo_db_path().exists()
    assert not default_db_path().exists()
    assert main(["--demo", "users"]) == 0
    assert "manager" in capsys.readouterr().out.lower()


# ---------------------------------------------------------------- "?" and "#" in a path
@pytest.mark.parametrize("name", ["crm?x=y.sqlite3", "crm#1.sqlite3", "crm%41.sqlite3"])
def test_question_mark_and_hash_belong_to_the_file_name(name: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / name
    assert main(["--db", str(path), "import", str(small_jsonl_path())]) == 0
    assert path.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(name)) == []
    capsys.readouterr()
    assert main(["--db", str(path), "users"]) == 0
    assert "ivanov" in capsys.readouterr().out


# ---------------------------------------------------------------- the app
def test_app_with_a_folder_says_one_line(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "crm_tui", "--db", str(tmp_path)],
                            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"crm: {tmp_path} is a folder, not a database file; give a file path with --db")


def test_an_output_file_error_is_not_called_a_database_problem(tmp_path: Path) -> None:
    import argparse

    from crm_tui.cli.main import _database_problem

    args = argparse.Namespace(db=str(tmp_path / "crm.sqlite3"), demo=False)
    assert _database_problem(PermissionError(13, "Permission denied", "/x.csv"), args) is None
