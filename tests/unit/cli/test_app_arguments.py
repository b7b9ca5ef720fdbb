"""`crm` with only the app's own options opens the app without building the subcommands'
parsers (importing their 13 modules and building their help cost every start ~25 ms); every
other command line goes through the whole parser as before."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from crm_tui.cli.main import COMMANDS, main, opens_the_app


@pytest.mark.parametrize("arguments", [
    [], ["--demo"], ["--db", "office.sqlite3"], ["--db=office.sqlite3", "--lang", "ru"],
    ["--lang=en", "--demo", "--db", "postgresql://crm@server/crm"],
])
def test_only_the_app_s_options_open_the_app(arguments: list[str]) -> None:
    assert opens_the_app(arguments)


@pytest.mark.parametrize("arguments", [
    ["report"], ["--db", "x.sqlite3", "report", "funnel"], ["--help"], ["-h"], ["--version"],
    ["frobnicate"], ["--db"], ["--lang"], ["--dbx", "y"], ["--db", "x", "--verbose"],
])
def test_anything_else_goes_through_the_whole_parser(arguments: list[str]) -> None:
    assert not opens_the_app(arguments)


def test_opening_the_app_imports_no_subcommand() -> None:
    program = (
        "import sys\n"
        "import crm_tui.cli.tui_cmd as tui\n"
        "seen = []\n"
        "tui.run_tui = lambda args: seen.append((args.db, args.lang, args.demo)) or 0\n"
        "from crm_tui.cli.main import main\n"
        "assert main(['--db', 'office.sqlite3', '--lang', 'ru']) == 0\n"
        "print(seen)\n"
        "print(sorted(m for m in sys.modules if m.startswith('crm_tui.cli.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            check=True)
    opened, modules = result.stdout.strip().splitlines()
    assert opened == "[('office.sqlite3', 'ru', False)]"
    subcommands = {f"crm_tui.cli.{name}" for name in COMMANDS.values()}
    assert not subcommands & set(ast.literal_eval(modules)), modules


def test_a_mistyped_command_is_still_explained(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["frobnicate"])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert "frobnicate" in error and "report" in error  # the choices are listed


def test_the_help_still_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "en", "--help"])
    assert "import-table" in capsys.readouterr().out


def test_a_missing_database_path_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--db"])
    assert stopped.value.code == 2
    assert "--db" in capsys.readouterr().err


@pytest.mark.parametrize(("arguments", "command"), [
    (["report", "funnel"], "report"), (["--db", "x", "--lang", "ru", "import", "f.jsonl"],
                                       "import"),
    (["--db=x", "export-csv", "partners"], "export-csv"), (["--demo", "backup", "b"], "backup"),
    ([], None), (["--help"], None), (["frobnicate"], None), (["--db", "report"], None),
])
def test_the_command_named(arguments: list[str], command: str | None) -> None:
    from crm_tui.cli.main import named_command

    assert named_command(arguments) == command


def test_a_command_builds_only_its_own_parser() -> None:
    """`crm report …` imports report_cmd and no other subcommand's module."""
    program = (
        "import sys\n"
        "from crm_tui.cli.main import main\n"
        "try:\n"
        "    main(['report', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('crm_tui.cli.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            check=True)
    loaded = set(ast.literal_eval(result.stdout.strip().splitlines()[-1]))
    subcommands = {f"crm_tui.cli.{name}" for name in COMMANDS.values()}
    assert loaded & subcommands == {"crm_tui.cli.report_cmd"}
    assert "usage: crm report" in result.stdout
