"""Letters from an unknown sender are linked by address: every such letter gets the partner
and contact, the contact learns the address, and the next letter from it is matched."""

from __future__ import annotations

from datetime import datetime

import pytest

from crm_tui.domain.mail_message import IncomingMail
from crm_tui.store.audit import history
from crm_tui.store.database import Database
from crm_tui.store.mail_senders import letters_from, link_sender, sender_of
from crm_tui.store.repo_interactions import get_interaction
from crm_tui.store.repo_mail import store_incoming
from crm_tui.store.repo_partners_read import get_contact, get_partner
from tests.unit.interactions.helpers import load


def _mail(number: int, sender: str = "olga@beta.ru",
          display: str = "Ольга Смирнова <Olga@Beta.ru>") -> IncomingMail:
    return IncomingMail(subject=f"Вопрос {number}", sender=sender, sender_display=display,
                        to="me@crm.test", message_id=f"<m{number}@beta.ru>", replies_to=(),
                        sent_at=datetime(2026, 1, 10, 9, number), text="Здравствуйте")


@pytest.fixture
def letters(db: Database) -> tuple[Database, list[str]]:
    load(db)
    keys = []
    with db.write() as session:
        for number in (1, 2):
            stored = store_incoming(session, _mail(number), "boss")
            assert stored is not None and stored.unknown_sender
            keys.append(stored.key)
        other = store_incoming(session, _mail(3, "x@gamma.ru", "x@gamma.ru"), "boss")
        assert other is not None
    return db, keys


def test_sender_of_reads_name_and_address() -> None:
    assert sender_of("Ольга Смирнова <Olga@Beta.ru>") == sender_of("Ольга Смирнова <olga@beta.ru>")
    sender = sender_of("Ольга Смирнова <Olga@Beta.ru>")
    assert sender is not None and sender.address == "olga@beta.ru"
    assert sender.contact_name == "Ольга Смирнова"
    bare = sender_of("olga@beta.ru")
    assert bare is not None and bare.contact_name == "olga"
    assert sender_of("no address") is None and sender_of(None) is None


def test_letters_from_finds_only_that_address(letters: tuple[Database, list[str]]) -> None:
    db, keys = letters
    with db.read() as session:
        assert letters_from(session, "OLGA@beta.ru") == keys
        assert letters_from(session, "olga@beta") == []  # the whole address, not a part


def test_link_to_a_new_contact_links_every_letter_and_the_next_one(
        letters: tuple[Database, list[str]]) -> None:
    db, keys = letters
    with db.write() as session:
        linked = link_sender(session, "olga@beta.ru", "P1", new_contact="Ольга Смирнова")
    assert linked.letters == 2 and linked.contact_key is not None
    with db.read() as session:
        contact = get_contact(session, linked.contact_key)
        assert contact.name == "Ольга Смирнова" and contact.emails == ("olga@beta.ru",)
        for key in keys:
            letter = get_interaction(session, key)
            assert (letter.partner_key, letter.contact_key) == ("P1", linked.contact_key)
        assert letters_from(session, "olga@beta.ru") == []
        assert any(change.action == "update" for change in history(session, "interaction",
                                                                    keys[0]))
    with db.write() as session:  # the next letter is matched on arrival
        stored = store_incoming(session, _mail(4), "boss")
    assert stored is not None and not stored.unknown_sender


def test_link_to_an_existing_contact_adds_the_address_once(
        letters: tuple[Database, list[str]]) -> None:
    db, keys = letters
    with db.read() as session:
        anna = next(c for c in get_partner(session, "P1").contacts if c.name == "Anna Contact")
    with db.write() as session:
        linked = link_sender(session, "olga@beta.ru", "P1", contact_key=anna.key)
    assert linked == type(linked)(2, anna.key)
    with db.read() as session:
        assert get_contact(session, anna.key).emails == ("olga@beta.ru",)
        assert get_interaction(session, keys[1]).contact_key == anna.key


def test_link_to_the_partner_only_when_no_contact_has_the_address(
        letters: tuple[Database, list[str]]) -> None:
    db, keys = letters
    with db.write() as session:
        linked = link_sender(session, "olga@beta.ru", "P2")
    assert linked.letters == 2 and linked.contact_key is None
    with db.read() as session:
        letter = get_interaction(session, keys[0])
        assert (letter.partner_key, letter.contact_key) == ("P2", None)
