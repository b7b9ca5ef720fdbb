"""The database every integration test starts from (a test module may override `url`)."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.functional.integration.helpers import prepare


@pytest.fixture
def url(db_url: str, fixed_now: datetime) -> str:
    """A small hand-made database with claims switched on."""
    prepare(db_url)
    return db_url
