"""Settings saved in the database: defaults, validation, admin-only saving, the claims switch."""

from __future__ import annotations

import pytest

from crm_tui.domain.errors import PermissionDenied, ValidationError
from crm_tui.store import audit
from crm_tui.store.database import Database
from crm_tui.store.settings import (
    all_settings,
    claims_enabled,
    get_setting,
    hidden_sections,
    is_admin,
    save_settings,
)
from tests.unit.settings.conftest import as_manager


def test_claims_switch_is_saved_read_and_hides_the_section(crm_db: Database) -> None:
    with crm_db.read() as s:
        assert claims_enabled(s) and hidden_sections(all_settings(s)) == frozenset()
    with crm_db.write() as s:
        assert save_settings(s, {"claims_enabled": False}) == {"claims_enabled": False}
    with crm_db.read() as s:
        assert not claims_enabled(s)
        assert hidden_sections(all_settings(s)) == frozenset({"claims"})
        assert audit.history(s, "setting", "claims_enabled")[0].new == "false"
    # Old claims stay: the switch touches no claim rows.
    with crm_db.read() as s:
        assert get_setting(s, "claims_enabled") is False


def test_every_setting_is_validated(crm_db: Database) -> None:
    bad = {"settlement_basis": "agreements", "smtp_security": "tls", "autofill_provider": "x",
           "currency": "RUBL", "working_hours": [18, 9], "default_snooze_minutes": 0,
           "smtp_port": 70000, "smtp_host": "a\x1bb", "claims_enabled": "yes",
           "mail_fetch_minutes": -1, "mail_mark_read": "no", "nope": 1,
           # Secrets and each user's account are not database settings any more.
           "smtp_password": "s3cret", "dadata_token": "tok", "smtp_login": "crm",
           "smtp_from": "crm@example.com"}
    for key, value in bad.items():
        with pytest.raises(ValidationError) as error, crm_db.write() as s:
            save_settings(s, {key: value})
        assert error.value.field == key


def test_saving_many_at_once_and_secrets_never_in_history(crm_db: Database) -> None:
    changes = {"currency": "usd", "working_hours": [8, 17], "default_snooze_minutes": 15,
               "smtp_host": "mail.example.com",
               "smtp_port": 465, "smtp_security": "ssl", "autofill_provider": "dadata",
               "mail_fetch_minutes": 0, "mail_mark_read": True}
    with crm_db.write() as s:
        save_settings(s, changes)
    with crm_db.read() as s:
        values = all_settings(s)
        assert values["currency"] == "USD" and values["working_hours"] == [8, 17]
        assert values["mail_fetch_minutes"] == 0 and values["mail_mark_read"] is True
        assert "smtp_password" not in values and "dadata_token" not in values
        assert audit.history(s, "setting", "smtp_port")[0].new == "465"
    with crm_db.write() as s:
        assert save_settings(s, {"currency": "USD"}) == {}


def test_only_an_administrator_changes_settings(crm_db: Database) -> None:
    with crm_db.read() as s:
        assert is_admin(s)
    as_manager(crm_db)
    with crm_db.read() as s:
        assert not is_admin(s)
        assert claims_enabled(s)
    with pytest.raises(PermissionDenied), crm_db.write() as s:
        save_settings(s, {"claims_enabled": False})
    with crm_db.read() as s:
        assert claims_enabled(s)
