"""The history screen speaks the user's language (issue 22 §4): field labels, names for ids
and keys, yes/no, dates and money by the language — never "posted False→True",
"manager_id 6" or "reason_id 29"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from textual.widgets import DataTable

from crm_tui.app import CrmApp
from crm_tui.screens.shell.history import HistoryScreen
from crm_tui.store import audit
from crm_tui.store.database import Database
from crm_tui.store.models import Classifier, User
from tests.functional.safety.helpers import SIZE, start
from tests.support.login import set_login_for_tests
from tests.support.screen import wait_until

NBSP = "\u00a0"


def _record_changes(database: Database) -> None:
    set_login_for_tests("petrova")
    with database.write() as session:
        ivanov = session.execute(select(User.id).where(User.login == "ivanov")).scalar_one()
        sidorov = session.execute(select(User.id).where(User.login == "sidorov")).scalar_one()
        late = session.execute(select(Classifier.id).where(
            Classifier.kind == "claim_reason", Classifier.code == "late")).scalar_one()
        audit.record(session, "claim", "CL00001", "update", {
            "manager_id": (ivanov, sidorov), "reason_id": (None, late),
            "resolved_at": (None, datetime(2026, 12, 3, 10, 0)),
        })
        audit.record(session, "claim", "CL00001", "post", {"posted": (False, True)})
        audit.record(session, "claim", "CL00001", "update", {
            "subject": (None, "deal:D000001"), "amount": ("1500000.50", None),
            "partner": ("P00008", None)})
    set_login_for_tests(None)


async def _rows(app: CrmApp, pilot, entity: str, key: str) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    app.push_screen(HistoryScreen(entity, key))
    await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.loaded)
    table = app.screen.query_one(DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


async def test_history_in_russian_names_fields_and_values(small_db: Database) -> None:
    _record_changes(small_db)
    url = str(small_db.engine.url)
    small_db.close()
    app = CrmApp(url, language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        rows = {row[3]: row[4:] for row in await _rows(app, pilot, "claim", "CL00001")}
    assert rows["Менеджер"] == ("Иванов И. И.", "Сидоров П. П.")
    assert rows["Причина"] == ("—", "Срыв сроков поставки")
    assert rows["Проведена"] == ("нет", "да")
    assert rows["Решено"] == ("—", "03.12.2026 10:00")
    assert rows["Предмет"] == ("—", "Сделка D000001 «Сделка 1»")
    assert rows["Сумма"] == (f"1{NBSP}500{NBSP}000,50", "—")
    assert rows["Партнер"] == ("Орион 228", "—")
    shown = " ".join(" ".join(row) for row in rows.values())
    for raw in ("manager_id", "reason_id", "posted", "False", "True", "deal:"):
        assert raw not in shown
