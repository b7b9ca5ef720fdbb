"""crm check finds stored control characters on PostgreSQL too (issue 21.2)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from crm_tui.exchange.importer import import_file
from crm_tui.store.database import Database
from crm_tui.store.maintenance import check
from tests.conftest import small_jsonl_path


@pytest.mark.parametrize("fixture", ["db", "pg_db"])
def test_check_names_text_with_control_characters(request: pytest.FixtureRequest,
                                                  fixture: str) -> None:
    database: Database = request.getfixturevalue(fixture)
    import_file(database, small_jsonl_path())
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE partner SET comment = :v"), {"v": "two\nlines\tok"})
        connection.execute(text("UPDATE partner SET name = :v WHERE key = 'P00002'"),
                           {"v": "A\x1b]0;x\x07"})
        connection.execute(text("UPDATE interaction SET topic = :v WHERE key = 'I000003'"),
                           {"v": "line\nfeed"})
        connection.execute(text("UPDATE claim SET description = :v WHERE key = 'CL00001'"),
                           {"v": "C1 \x9b"})
    messages = [str(problem) for problem in check(database.engine)]
    assert [m.split(" holds")[0] for m in messages] == [
        "text: partner.name", "text: claim.description", "text: interaction.topic"]
    assert "in P00002:" in messages[0] and "in CL00001:" in messages[1]
    assert "in I000003:" in messages[2]
