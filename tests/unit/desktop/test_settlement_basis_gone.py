"""The setting settlement_basis is gone (migration 0015_desktop): "by contracts" needed
contracts, which the product does not have, so the setting changed nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from crm_tui.domain.errors import ValidationError
from crm_tui.screens.settings.rows import ROWS
from crm_tui.store.database import Database
from crm_tui.store.engine import make_engine
from crm_tui.store.migrate import upgrade
from crm_tui.store.settings import all_settings, validate_setting


def test_the_upgrade_removes_the_stored_value(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine, "0014_keys")
    with engine.begin() as connection:
        for key, value in (("settlement_basis", "contracts"), ("currency", "USD")):
            connection.execute(text("INSERT INTO setting (key, value) VALUES (:k, :v)"),
                               {"k": key, "v": json.dumps(value)})
    engine.dispose()
    database = Database.open(url)
    try:
        with database.read() as session:
            values = all_settings(session)
    finally:
        database.close()
    assert "settlement_basis" not in values and values["currency"] == "USD"


def test_nothing_offers_it_any_more() -> None:
    assert "settlement_basis" not in ROWS
    with pytest.raises(ValidationError):
        validate_setting("settlement_basis", "agreements")
