"""Secrets out of the shared database: each user's credentials in their own config file (or
keyring), the environment winning, the old database values moved out on upgrade."""

from __future__ import annotations

import json
import os
import stat
import sys
import traceback
import types
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from crm_tui import credentials
from crm_tui.cli.main import main
from crm_tui.store.database import Database
from crm_tui.store.engine import make_engine
from crm_tui.store.migrate import upgrade


def test_saved_in_a_private_file_and_read_back() -> None:
    credentials.save({"smtp_login": " anna ", "smtp_password": " pa ss ", "imap_port": 10993,
                      "smtp_from": "anna@example.com"})
    path = credentials.credentials_path()
    assert path.parent.name == "crm-tui" and path.name == "credentials.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    values = credentials.load()
    assert values["smtp_login"] == "anna" and values["imap_port"] == 10993
    assert values["smtp_password"].reveal() == " pa ss "  # a password keeps its spaces
    assert values["imap_host"] == "" and values["imap_folder"] == "INBOX"
    assert credentials.display_values()["smtp_password"] is True
    assert credentials.display_values()["dadata_token"] is False


def test_a_loosened_file_is_made_private_again() -> None:
    credentials.save({"dadata_token": "tok"})
    path = credentials.credentials_path()
    path.chmod(0o644)
    assert credentials.secret("dadata_token").reveal() == "tok"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    credentials.save({"smtp_password": "file", "imap_password": "file",
                      "dadata_token": "file"})
    monkeypatch.setenv("CRM_SMTP_PASSWORD", "env-smtp")
    monkeypatch.setenv("CRM_IMAP_PASSWORD", "env-imap")
    monkeypatch.setenv("CRM_DADATA_TOKEN", "env-token")
    values = credentials.load()
    assert [values[key].reveal() for key in ("smtp_password", "imap_password",
                                             "dadata_token")] == \
        ["env-smtp", "env-imap", "env-token"]


def test_a_secret_never_shows_in_a_repr_or_a_traceback() -> None:
    secret = credentials.Secret("hunter2")
    assert "hunter2" not in repr(secret) + str(secret) + f"{secret}" + repr([secret])
    assert bool(secret) and not credentials.Secret("")

    def failing(value: credentials.Secret) -> None:
        raise RuntimeError("boom")

    try:
        failing(secret)
    except RuntimeError as error:
        shown = "".join(traceback.TracebackException.from_exception(
            error, capture_locals=True).format())
    assert "boom" in shown and "hunter2" not in shown


def test_bad_values_name_their_field() -> None:
    for key, value in {"smtp_from": "nobody", "imap_port": 0, "imap_security": "tls",
                       "imap_host": "a\x1bb", "nope": "x"}.items():
        with pytest.raises(credentials.ValidationError) as raised:
            credentials.save({key: value})
        assert raised.value.field == key
    assert not credentials.credentials_path().exists()  # nothing half-written


def test_a_damaged_file_is_one_clear_message_without_its_content() -> None:
    path = credentials.credentials_path()
    path.parent.mkdir(parents=True)
    path.write_text('{"smtp_password": "hunter2"', encoding="utf-8")
    with pytest.raises(credentials.CredentialsError) as raised:
        credentials.load()
    assert str(path) in str(raised.value) and "hunter2" not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


class MemoryKeyring:
    """A keyring backend with a priority, as keyring's real ones have."""

    priority = 5

    def __init__(self) -> None:
        self.stored: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, user: str) -> str | None:
        return self.stored.get((service, user))

    def set_password(self, service: str, user: str, value: str) -> None:
        self.stored[(service, user)] = value

    def delete_password(self, service: str, user: str) -> None:
        self.stored.pop((service, user), None)


def fake_keyring(monkeypatch: pytest.MonkeyPatch, backend: Any) -> Any:
    module = types.ModuleType("keyring")
    module.get_keyring = lambda: backend  # type: ignore[attr-defined]
    for name in ("get_password", "set_password", "delete_password"):
        setattr(module, name, getattr(backend, name, None))
    monkeypatch.setitem(sys.modules, "keyring", module)
    monkeypatch.delenv("CRM_KEYRING")
    return module


def test_secrets_go_to_a_real_keyring_when_there_is_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    backend = MemoryKeyring()
    fake_keyring(monkeypatch, backend)
    credentials.save({"smtp_password": "ring", "smtp_login": "anna"})
    assert backend.stored[("crm-tui", "smtp_password")] == "ring"
    on_disk = json.loads(credentials.credentials_path().read_text(encoding="utf-8"))
    assert on_disk == {"smtp_login": "anna"}  # the login in the file, the password not
    assert credentials.secret("smtp_password").reveal() == "ring"
    assert credentials.storage() == "keyring"
    monkeypatch.setenv("CRM_SMTP_PASSWORD", "env")
    assert credentials.secret("smtp_password").reveal() == "env"


def test_no_real_keyring_backend_means_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    fail_backend = type("Keyring", (), {"priority": 0})
    fail_backend.__module__ = "keyring.backends.fail"
    fake_keyring(monkeypatch, fail_backend())
    credentials.save({"smtp_password": "filed"})
    on_disk = json.loads(credentials.credentials_path().read_text(encoding="utf-8"))
    assert on_disk["smtp_password"] == "filed"
    assert credentials.storage() == str(credentials.credentials_path())


def old_database(path: Path, settings: dict[str, Any]) -> str:
    """A database at the revision before secrets moved out, with `settings` stored."""
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine, "0010_partner_name_labels")
    with engine.begin() as connection:
        for key, value in settings.items():
            connection.execute(text("INSERT INTO setting (key, value) VALUES (:k, :v)"),
                               {"k": key, "v": json.dumps(value)})
    engine.dispose()
    return url


OLD = {"smtp_host": "smtp.example.com", "smtp_password": "office-pass",
       "smtp_login": "office@example.com", "smtp_from": "office@example.com",
       "dadata_token": "office-token"}


def test_upgrade_moves_secrets_out_of_the_database(tmp_path: Path) -> None:
    url = old_database(tmp_path / "old.sqlite3", OLD)
    credentials.save({"smtp_login": "anna@example.com"})  # the user's own value stays
    database = Database.open(url)
    with database.read_plain() as connection:
        rows = dict(connection.execute(text("SELECT key, value FROM setting")).all())
    database.close()
    assert rows == {"smtp_host": '"smtp.example.com"'}
    values = credentials.load()
    assert values["smtp_password"].reveal() == "office-pass"
    assert values["dadata_token"].reveal() == "office-token"
    assert values["smtp_from"] == "office@example.com"
    assert values["smtp_login"] == "anna@example.com"
    notices = credentials.take_notices()
    assert len(notices) == 1 and "smtp_password" in notices[0]
    assert "office-pass" not in notices[0] and credentials.take_notices() == []
    # Overwritten in the file itself, not just unlinked (the backup copy made before the
    # upgrade still holds them, as the notice says).
    assert b"office-pass" not in (tmp_path / "old.sqlite3").read_bytes()
    assert any(b"office-pass" in bak.read_bytes() for bak in tmp_path.glob("old*.bak"))
    assert "Backup copies" in notices[0]


def test_the_cli_says_so_and_the_export_holds_no_secret(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "old.sqlite3"
    old_database(path, OLD)
    assert main(["--db", str(path), "db", "upgrade"]) == 0  # read-only commands never upgrade
    err = capsys.readouterr().err
    assert err.startswith("crm: ") and "dadata_token" in err and "office-pass" not in err
    assert str(credentials.credentials_path()) in err
    export = tmp_path / "all.jsonl"
    assert main(["--db", str(path), "export", str(export)]) == 0
    dumped = export.read_text(encoding="utf-8")
    assert "office-pass" not in dumped and "office-token" not in dumped
    database = Database.open(f"sqlite:///{path}")
    with database.read_plain() as connection:
        history = connection.execute(text("SELECT * FROM change_log")).all()
    database.close()
    assert "office-pass" not in repr(history)


def test_an_upgrade_that_cannot_save_them_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if os.geteuid() == 0:
        # root writes into a read-only folder: make the config folder a file instead.
        blocker = tmp_path / "blocked"
        blocker.write_text("", encoding="utf-8")
        monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    else:
        (tmp_path / "ro").mkdir(mode=0o500)
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "ro"))
    url = old_database(tmp_path / "old.sqlite3", OLD)
    with pytest.raises(Exception, match="cannot save the credentials file"):
        Database.open(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT key, value FROM setting")).all())
    engine.dispose()
    assert json.loads(rows["smtp_password"]) == "office-pass"  # still there, not lost
    credentials.take_notices()
