"""The same fetch on PostgreSQL: stored, matched, threaded, never twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from crm_tui.domain.interactions import chain_subject
from crm_tui.mail.fetch import fetch_mail
from crm_tui.store.database import Database
from crm_tui.store.repo_interactions import chain, get_interaction
from tests.imap.conftest import Mailbox
from tests.imap.test_fetch import CONTACT, SENT_ID, message
from tests.pg.conftest import pg_db, pg_url  # noqa: F401 - the PostgreSQL fixtures
from tests.unit.interactions.helpers import interaction, load

pytestmark = pytest.mark.postgres


def test_fetch_on_postgresql(pg_db: Database, fixed_now: datetime,  # noqa: F811
                             mailbox: Mailbox) -> None:
    load(pg_db, CONTACT, interaction("I1", "2026-01-10T10:00:00", kind="email",
                                     direction="outgoing", email_to="oleg@client.example",
                                     message_id=SENT_ID, status="done", topic="Our offer"))
    mailbox.deliver(message("Prices", attachment=("p.bin", b"123")),
                    message("Re: Our offer", reply_to=SENT_ID))
    result = fetch_mail(pg_db)
    assert result.new == 2
    with pg_db.read() as session:
        prices = get_interaction(session, result.keys[0])
        thread = chain(session, _chain_of(session, result.keys[1]))
    assert prices.partner_key == "P1" and prices.contact_key == "K9"
    assert [item.key for item in thread] == ["I1", result.keys[1]]
    mailbox.deliver(message("Prices", attachment=("p.bin", b"123")))  # the same again
    again = fetch_mail(pg_db)
    assert (again.new, again.known) == (0, 1)


def _chain_of(session: Any, key: str) -> Any:
    """The subject whose chain interaction `key` belongs to."""
    current = get_interaction(session, key)
    return chain_subject(current.key, current.subject)
