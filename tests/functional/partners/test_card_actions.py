"""Pilot: the card's new legal entity (checks, autofill, duplicate INN linked instead),
contact deletion with a confirmation, the conflict dialog listing every differing field,
the wizard's duplicate step for a private person without INN, and the list's lazy count
and deep jumps."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from sqlalchemy import text

from crm_tui.app import CrmApp
from crm_tui.domain.partners import ContactInput
from crm_tui.screens.partners.card import PartnerCardScreen
from crm_tui.screens.partners.card_confirm import ConfirmScreen
from crm_tui.screens.partners.card_entity import NewEntityScreen
from crm_tui.screens.partners.list import CAP, PartnersScreen
from crm_tui.screens.partners.wizard import PartnerWizardScreen
from crm_tui.store.database import Database
from crm_tui.store.repo_partners_read import counterparties_by_inn, find_counterparty, get_partner
from crm_tui.store.repo_partners_write import add_contact, update_partner
from crm_tui.widgets.conflict_dialog import ConflictDialog
from crm_tui.widgets.virtual_list import VirtualList
from tests.functional.partners.conftest import HOSTILE, wait_db
from tests.support.screen import wait_until


async def _type(pilot: Any, text: str) -> None:
    for char in text:
        await pilot.press(char)


async def _card(app: CrmApp, pilot: Any, key: str) -> PartnerCardScreen:
    await wait_db(app, pilot)
    app.push_screen(PartnerCardScreen(key))
    await wait_until(pilot, lambda: getattr(app.screen, "view", None) is not None)
    card = app.screen
    assert isinstance(card, PartnerCardScreen)
    return card


async def test_new_legal_entity_with_autofill_and_checks(partners_db: str,
                                                         fixed_now: object) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        card = await _card(app, pilot, "P2")
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, NewEntityScreen))
        form = app.screen
        assert isinstance(form, NewEntityScreen)
        await _type(pilot, "7736207544")  # wrong check digit
        assert str(form.query_one("#entity-inn-error").render()) != ""
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: str(form.query_one("#entity-error").render()) != "")
        assert isinstance(app.screen, NewEntityScreen)
        await pilot.press("backspace")
        await _type(pilot, "3")  # 7736207543: the sample registry knows it
        await wait_until(pilot, lambda: form.value("short_name") == "ООО Яндекс")
        assert form.value("kpp") == "770401001" and form.value("ogrn") == "1027700229193"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerCardScreen))
        await wait_until(pilot, lambda: card.view is not None
                         and len(card.view.counterparties) == 1)
        assert card.view is not None and card.view.counterparties[0].inn == "7736207543"


async def test_duplicate_inn_is_linked_instead(partners_db: str, fixed_now: object) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        card = await _card(app, pilot, "P2")
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, NewEntityScreen))
        form = app.screen
        assert isinstance(form, NewEntityScreen)
        await _type(pilot, "7707083893")
        await pilot.press("tab")
        await _type(pilot, "773601001")
        await wait_until(pilot, lambda: len(form.duplicates) == 1)
        await pilot.press("ctrl+s")  # refused: offered for linking instead
        await wait_until(pilot, lambda: "already exists" in str(
            form.query_one("#entity-error").render()))
        assert form.focused is form.query_one("#entity-duplicates")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerCardScreen))
        await wait_until(pilot, lambda: card.view is not None
                         and len(card.view.counterparties) == 1)
    database = Database.open(partners_db)
    with database.read() as s:
        assert [c.key for c in counterparties_by_inn(s, "7707083893")] == ["C1"]
        assert find_counterparty(s, "C1").partner_keys == ("P1", "P2")
    database.close()


async def test_delete_contact_with_confirmation(partners_db: str, fixed_now: object) -> None:
    database = Database.open(partners_db)
    with database.write() as s:
        add_contact(s, "P2", ContactInput(name=HOSTILE.replace("\x1b", "").replace(
            "\x07", "")))
    database.close()
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        card = await _card(app, pilot, "P2")
        assert card.view is not None and len(card.view.contacts) == 2
        await pilot.press("f4", "f4")  # the Contacts tab
        await pilot.pause()
        card.query_one("#card-contacts").focus()
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = str(app.screen.query_one("#confirm-question").render())
        assert "[@click=app.quit]x[/]" in question  # the name shows literally
        await pilot.press("n")  # no: nothing deleted
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerCardScreen))
        assert len(card.view.contacts) == 2
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: card.view is not None and len(card.view.contacts) == 1)
        assert app.is_running
    database = Database.open(partners_db)
    with database.read() as s:
        actions = s.execute(text(
            "SELECT action FROM change_log WHERE entity = 'contact' ORDER BY id")).scalars().all()
    database.close()
    assert actions[-1] == "delete"


async def test_conflict_lists_every_changed_field(partners_db: str, fixed_now: object) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        card = await _card(app, pilot, "P1")
        database = Database.open(partners_db)
        with database.write() as s:  # someone else saves first
            view = get_partner(s, "P1")
            update_partner(s, "P1", view.version, "Ромашка-Плюс", None, ("client",),
                                view.manager_id, "их комментарий")
        database.close()
        card.query_one("#details-name").value = "Ромашка Моя"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictDialog))
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        labels = {label: (theirs, yours) for label, theirs, yours in dialog.changes}
        assert labels["Name"] == ("Ромашка-Плюс", "Ромашка Моя")
        assert labels["Region"] == ("", "Москва")
        assert labels["Comment"] == ("их комментарий", "")
        assert "Roles" not in labels and "Manager" not in labels
        await pilot.press("escape")


async def test_person_without_inn_still_checks_duplicates(partners_db: str,
                                                          fixed_now: object) -> None:
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_db(app, pilot)
        app.push_screen(PartnerWizardScreen())
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerWizardScreen))
        wizard = app.screen
        assert isinstance(wizard, PartnerWizardScreen)
        await pilot.pause()
        await pilot.press("down", "down")  # arrows choose: a private person
        await pilot.press("ctrl+n")
        assert wizard.step == 2 and wizard.kind == "person"
        await pilot.press("ctrl+n")  # no INN: straight to the details
        assert wizard.step == 5
        await _type(pilot, "Иван Петров")
        await pilot.press("ctrl+n")
        assert wizard.step == 6
        await _type(pilot, "Иван")
        wizard.query_one("#wc-phones").value = "8 916 123-45-67"  # type: ignore[attr-defined]
        await pilot.press("ctrl+n")  # adds the typed contact, then the duplicate check
        assert wizard.step == 4
        await wait_until(pilot, lambda: wizard.duplicates is not None)
        assert wizard.duplicates is not None
        assert [hit.key for hit in wizard.duplicates.similar] == ["P2"]  # the same phone
        await pilot.press("ctrl+b")  # back
        assert wizard.step == 6
        await pilot.press("ctrl+n", "ctrl+n")
        assert wizard.step == 7


async def test_lazy_count_and_deep_jumps(db_url: str, fixed_now: object,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import crm_tui.screens.partners.list

    # A search matching more than its first count's cap: counted exactly in the background.
    monkeypatch.setattr(crm_tui.screens.partners.list, "TEXT_CAP", CAP)
    Database.open(db_url).close()
    connection = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    connection.executemany("INSERT INTO partner(key, name, roles, version) VALUES (?, ?, 1, 1)",
                           ((f"X{i:05d}", f"Фирма {i:05d}") for i in range(CAP + 300)))
    connection.commit()
    connection.close()
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_db(app, pilot)
        await pilot.press("1")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnersScreen))
        screen = app.screen
        lst = screen.query_one(VirtualList)
        await wait_until(pilot, lambda: lst.row_count == CAP + 300)
        await pilot.press("ctrl+f")
        await _type(pilot, "фирма")
        status = screen.query_one("#partners-status")
        await wait_until(pilot, lambda: str(status.render()) == f"Partners found: {CAP + 300}")
        assert lst.row_count == CAP + 300
        await pilot.press("escape")
        await wait_until(pilot, lambda: lst.row_count == CAP + 300 and lst.row_at(0) is not None)
        lst.focus()
        await pilot.press("end")
        await wait_until(pilot, lambda: lst.highlighted_row is not None)
        assert lst.highlighted_row is not None and lst.highlighted_row.key == f"X{CAP + 299:05d}"
        await pilot.press("pageup")
        await wait_until(pilot, lambda: lst.highlighted_row is not None)
        index = lst.cursor
        assert lst.highlighted_row.key == f"X{index:05d}"


async def test_delete_contact_in_use_says_where_and_offers_to_unlink(
        db_url: str, fixed_now: object) -> None:
    """A contact a deal and an interaction refer to: the app says where instead of ending
    with a foreign-key error; "No" keeps everything, "Yes" unlinks and deletes."""
    import json

    from crm_tui.exchange.importer import import_lines
    from tests.functional.partners.conftest import LINES

    partners_db = db_url
    database = Database.open(partners_db)
    import_lines(database, [json.dumps(line, ensure_ascii=False) for line in LINES] + [
        '{"type": "contact_role", "code": "decider", "name": "ЛПР"}',
        '{"type": "stage", "code": "lead", "name": "Интерес", "order": 10}',
        '{"type": "deal_kind", "code": "none", "name": "Без этапов", "stage_control": "none",'
        ' "stages": []}',
        '{"type": "deal", "id": "D1", "name": "Сделка", "partner": "P2", "kind": "none",'
        ' "manager": "ivanov", "amount": "1.00", "created_at": "2025-01-01T10:00",'
        ' "status": "open", "stages": [], "contacts": [{"contact": "K1", "role": "decider"}]}',
        '{"type": "interaction", "id": "I1", "kind": "call", "topic": "Звонок",'
        ' "at": "2025-03-02T10:00", "status": "done", "partner": "P2", "contact": "K1"}',
    ])
    database.close()
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        card = await _card(app, pilot, "P2")
        await pilot.press("f4", "f4")  # the Contacts tab
        await pilot.pause()
        card.query_one("#card-contacts").focus()
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")  # delete: refused, the second question says where
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen)
                       and "used in" in str(app.screen.query_one("#confirm-question").render()))
        question = str(app.screen.query_one("#confirm-question").render())
        assert "deals (contact persons): 1, interactions (contact): 1" in question
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerCardScreen))
        assert app.is_running and card.view is not None and len(card.view.contacts) == 1
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen)
                       and "used in" in str(app.screen.query_one("#confirm-question").render()))
        await pilot.press("y")  # unlink and delete
        await wait_until(pilot, lambda: card.view is not None and not card.view.contacts)
        assert app.is_running
    database = Database.open(partners_db)
    with database.read() as s:
        assert s.execute(text("SELECT count(*) FROM deal_contact")).scalar() == 0
        assert s.execute(text("SELECT contact_id FROM interaction")).scalar() is None
    database.close()
