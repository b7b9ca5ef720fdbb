"""The layering rules.

The import graph is checked statically by import-linter (contracts in pyproject.toml, run
here so `pytest` alone enforces them); the rest of this file checks at run time what a static
graph cannot see: which modules are loaded before the first frame or by a command line."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import crm_tui

PACKAGE_DIR = Path(crm_tui.__file__).parent
PROJECT_DIR = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_are_kept() -> None:
    """`lint-imports` (the layer order, pure domain, no Textual below widgets, no store in
    widgets) passes; its report is the failure message."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=PROJECT_DIR,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _modules(subpackage: str) -> list[str]:
    folder = PACKAGE_DIR / subpackage
    return [f"crm_tui.{subpackage}.{info.name}" for info in pkgutil.iter_modules([str(folder)])]


def _loaded_after_import(modules: list[str], forbidden: list[str]) -> list[str]:
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(','.join(sorted(m for m in {forbidden!r} if m in sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return [name for name in result.stdout.strip().split(",") if name]


def test_domain_imports_neither_textual_nor_the_orm() -> None:
    modules = _modules("domain")
    assert modules
    assert _loaded_after_import(modules, ["textual", "sqlmodel", "sqlalchemy"]) == []


def test_store_exchange_and_reports_do_not_import_textual() -> None:
    modules = _modules("store") + _modules("exchange") + _modules("reports")
    assert _loaded_after_import(modules, ["textual"]) == []


def test_command_line_without_a_screen_does_not_import_textual() -> None:
    modules = ["crm_tui.cli.main", *_modules("cli")]
    modules.remove("crm_tui.cli.tui_cmd")
    assert _loaded_after_import(modules, ["textual"]) == []


def test_app_module_does_not_import_the_orm_before_the_first_frame() -> None:
    """The ORM is imported in a worker after the first frame, not at start-up."""
    assert _loaded_after_import(["crm_tui.app"], ["sqlmodel"]) == []


def test_the_first_data_needs_no_orm(tmp_path: Path) -> None:
    """Opening a database its user knows and reading the home screen's counts import
    neither the ORM nor the table models (~300 ms before the first data)."""
    from crm_tui.store.database import Database
    from crm_tui.store.users import ensure_current_user

    url = f"sqlite:///{tmp_path / 'crm.sqlite3'}"
    database = Database.open(url)
    with database.write() as session:
        ensure_current_user(session)
    database.close()
    code = (
        "import sys\n"
        "from datetime import datetime\n"
        "from crm_tui.store.database import Database\n"
        "from crm_tui.store.repo_overview import overview\n"
        "from crm_tui.store.users import current_role\n"
        f"database = Database.open({url!r})\n"
        "with database.read_plain() as connection:\n"
        "    role = current_role(connection)\n"
        "    overview(connection, datetime.now())\n"
        "orm = ('crm_tui.store.models', 'sqlmodel', 'sqlalchemy.orm', 'pydantic')\n"
        "print(role, *(name in sys.modules for name in orm))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["admin", "False", "False", "False", "False"], (
        result.stdout + result.stderr)


def _loaded_after_running(code: str, forbidden: list[str]) -> list[str]:
    program = (
        "import sys\n"
        f"{code}\n"
        f"print('LOADED:' + ','.join(sorted(m for m in {forbidden!r} if m in sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            check=True)
    line = result.stdout.rsplit("LOADED:", 1)[1].strip()
    return [name for name in line.split(",") if name]


HEAVY = ["textual", "sqlalchemy", "sqlmodel", "pydantic", "rich.table", "openpyxl",
         "crm_tui.reports.registry", "crm_tui.reports.funnel", "crm_tui.store.models"]


def test_the_command_line_parser_imports_nothing_heavy() -> None:
    """`crm --version`, `crm --help` and every subcommand's --help build the parser only:
    report names come from static data (reports/catalog.py), not from the report queries."""
    code = (
        "from crm_tui.cli.main import build_parser\n"
        "parser = build_parser()\n"
        "parser.format_help()\n"
    )
    assert _loaded_after_running(code, HEAVY) == []


def test_crm_version_imports_nothing_heavy() -> None:
    code = (
        "from crm_tui.cli.main import main\n"
        "try:\n"
        "    main(['--version'])\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    assert _loaded_after_running(code, HEAVY) == []


def test_the_report_catalog_matches_the_report_modules() -> None:
    """Names, titles and options of the static catalog are those the queries use."""
    import importlib

    from crm_tui.reports.catalog import REPORTS
    from crm_tui.reports.registry import available_reports

    assert [info.name for info in available_reports()] == [spec.name for spec in REPORTS]
    for spec in REPORTS:
        module = importlib.import_module(f"crm_tui.reports.{spec.module}")
        assert spec.name == module.NAME
        assert spec.filters == module.FILTERS
        assert module.title() == spec.title()
