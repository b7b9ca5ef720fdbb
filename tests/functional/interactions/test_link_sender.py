"""Issue 25: a letter from an unknown sender is linked from the inbox (key l) to a partner
and contact — every letter from that address at once — or the partner wizard starts with
the sender filled in. Checked on the database."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.widgets import Input, Select

from crm_tui.app import CrmApp
from crm_tui.domain.mail_message import IncomingMail
from crm_tui.screens.interactions.inbox import InboxScreen
from crm_tui.screens.interactions.link_sender import NEW_CONTACT, LinkSenderDialog
from crm_tui.screens.partners.wizard import PartnerWizardScreen
from crm_tui.store.database import Database
from crm_tui.store.repo_interactions import get_interaction
from crm_tui.store.repo_mail import store_incoming
from crm_tui.store.repo_partners_read import get_contact
from crm_tui.widgets.partner_picker import PartnerPicker
from crm_tui.widgets.virtual_list import VirtualList
from tests.functional.interactions.test_inbox import keys, open_inbox
from tests.support.screen import settle, wait_until
from tests.unit.interactions.helpers import interaction, load

SIZE = (120, 36)


def _mail(number: int) -> IncomingMail:
    return IncomingMail(subject=f"Вопрос {number}", sender="olga@beta.ru",
                        sender_display="Ольга Смирнова <olga@beta.ru>", to="me@crm.test",
                        message_id=f"<m{number}@beta.ru>", replies_to=(),
                        sent_at=datetime(2026, 1, 14, 9, number), text="Здравствуйте")


@pytest.fixture
def data(db: Database, fixed_now: datetime) -> tuple[Database, list[str]]:
    load(db, interaction("I1", "2026-01-10T10:00:00"))
    letters = []
    with db.write() as session:
        for number in (1, 2):
            stored = store_incoming(session, _mail(number), "boss")
            assert stored is not None and stored.unknown_sender
            letters.append(stored.key)
    return db, letters


async def _on_letter(app: CrmApp, pilot: object, key: str) -> InboxScreen:
    inbox_list = await open_inbox(app, pilot)
    inbox_list.cursor = keys(inbox_list).index(key)
    assert isinstance(app.screen, InboxScreen)
    return app.screen


async def test_link_to_a_partner_with_a_new_contact(data: tuple[Database, list[str]],
                                                    db_url: str) -> None:
    db, letters = data
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await _on_letter(app, pilot, letters[0])
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LinkSenderDialog),
                         what="the link dialog")
        dialog = app.screen
        assert "olga@beta.ru" in str(dialog.query_one("#link-what").render())
        assert ": 2." in str(dialog.query_one("#link-what").render())
        await pilot.press("ctrl+s")  # no partner yet: refused next to the field
        await pilot.pause()
        assert app.screen is dialog
        assert "Choose a partner" in str(dialog.query_one("#link-error").render())
        await pilot.press(*"Alpha")
        picker = dialog.query_one(PartnerPicker)
        await wait_until(pilot, lambda: picker.has_class("-open"), what="suggestions")
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: picker.partner_key == "P1", what="P1 chosen")
        await settle(pilot)
        contact = dialog.query_one("#link-contact", Select)
        assert contact.value == NEW_CONTACT
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, InboxScreen))
        await settle(pilot)
        with db.read() as session:
            views = [get_interaction(session, key) for key in letters]
            assert {v.partner_key for v in views} == {"P1"}
            contact_key = views[0].contact_key
            assert contact_key is not None and views[1].contact_key == contact_key
            made = get_contact(session, contact_key)
            assert (made.name, made.emails) == ("Ольга Смирнова", ("olga@beta.ru",))
        row = app.screen.query_one(VirtualList).highlighted_row
        assert row is not None and "Alpha Trade" in str(row.cells)


async def test_new_partner_starts_the_wizard_with_the_sender(
        data: tuple[Database, list[str]], db_url: str) -> None:
    db, letters = data
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await _on_letter(app, pilot, letters[1])
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LinkSenderDialog))
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnerWizardScreen),
                         what="the partner wizard")
        wizard = app.screen
        await pilot.pause()
        assert wizard.query_one("#wc-name", Input).value == "Ольга Смирнова"
        assert wizard.query_one("#wc-emails", Input).value == "olga@beta.ru"
        wizard.dismiss("P2")  # what the wizard does once it made the partner
        await wait_until(pilot, lambda: isinstance(app.screen, InboxScreen))
        await settle(pilot)
        await wait_until(pilot, lambda: _partner_of(db, letters[0]) == "P2",
                         what="the letters linked to the new partner")
        assert _partner_of(db, letters[1]) == "P2"


async def test_a_known_sender_is_not_linked_again(data: tuple[Database, list[str]],
                                                  db_url: str) -> None:
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _on_letter(app, pilot, "I1")
        await pilot.press("l")
        await settle(pilot)
        assert app.screen is screen
        assert any("only incoming letters" in str(n.message)
                   for n in app._notifications)


def _partner_of(db: Database, key: str) -> str | None:
    with db.read() as session:
        return get_interaction(session, key).partner_key
