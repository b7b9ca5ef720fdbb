"""The two-user merge tests (tests/functional/integration/test_two_users_merge.py) on
PostgreSQL: two app instances on one server database, for each of the five forms."""

from __future__ import annotations

import pytest

from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database
from tests.conftest import small_jsonl_path
from tests.functional.integration.test_two_users_merge import (
    test_deleted_while_editing_saves_mine_as_new,
    test_disjoint_edits_merge_with_no_loss,
    test_same_field_edit_asks,
)
from tests.pg.conftest import reset_schema
from tests.support.login import set_login_for_tests

__all__ = ["test_deleted_while_editing_saves_mine_as_new",
           "test_disjoint_edits_merge_with_no_loss", "test_same_field_edit_asks"]


@pytest.fixture
def shared_url(pg_url: str) -> str:
    """The spec's small data set on PostgreSQL; the current user is an administrator."""
    from crm_tui.store.repo_users import set_role

    reset_schema(pg_url)
    database = Database.open(pg_url)
    import_lines(database, small_jsonl_path().read_text(encoding="utf-8").splitlines())
    with database.write() as session:
        set_role(session, "kuznetsova", "admin")
    database.close()
    set_login_for_tests("kuznetsova")
    return pg_url
