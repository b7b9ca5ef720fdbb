"""Shared fixtures: fresh databases, a fixed clock, the spec's worked-example data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from crm_tui.i18n import set_language
from crm_tui.store.database import Database
from tests.support.clock import set_fixed_now
from tests.support.login import set_login_for_tests

REPO_ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = REPO_ROOT.parent / "shared" / "spec"
SPEC_EXAMPLES = SPEC_DIR / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXED_NOW = datetime(2026, 1, 15, 10, 30, 0)


def small_jsonl_path() -> Path:
    """The spec's small.jsonl, or the copy kept in tests/fixtures when shared/ is absent."""
    shared = SPEC_EXAMPLES / "small.jsonl"
    return shared if shared.exists() else FIXTURES / "spec-examples" / "small.jsonl"


@pytest.fixture(autouse=True)
def _english_and_isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in English, with its own data dir and no CRM_DB from outside."""
    set_language("en")
    monkeypatch.delenv("CRM_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    # The user's credentials go to that config folder, never to a developer's real keyring.
    monkeypatch.setenv("CRM_KEYRING", "off")
    for variable in ("CRM_SMTP_PASSWORD", "CRM_IMAP_PASSWORD", "CRM_DADATA_TOKEN"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))  # the error log
    yield
    set_fixed_now(None)
    set_login_for_tests(None)
    set_language("en")


@pytest.fixture
def fixed_now() -> datetime:
    """Freeze the app clock at FIXED_NOW."""
    set_fixed_now(FIXED_NOW)
    return FIXED_NOW


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A fresh, migrated, empty SQLite database."""
    database = Database.open(db_url)
    yield database
    database.close()


@pytest.fixture
def small_db(db: Database) -> Database:
    """A database holding exactly the spec's small.jsonl."""
    from crm_tui.exchange.importer import import_file

    import_file(db, small_jsonl_path())
    return db


def pytest_report_header(config: pytest.Config) -> str:
    state = "set" if os.environ.get("CRM_TEST_PG_URL") else "unset"
    return f"crm-tui tests; CRM_TEST_PG_URL={state}"
