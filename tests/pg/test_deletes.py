"""The delete checks of tests/unit/store/test_deletes.py on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from crm_tui.store.database import Database
from tests.unit.store.test_deletes import CHECKS


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_deletes_on_postgresql(pg_db: Database, fixed_now: object, check: Any) -> None:
    check(pg_db)
