"""partners: the search finds digits anywhere in an INN and a phone's last 7 digits (SQLite)

A manager often knows a few digits from the middle of an INN, or a phone number without
its area code. The index searches the start of words (FTS5 prefixes), so the search
document now also holds every suffix of each INN (a prefix of a suffix is any run of its
digits) and the last seven digits of each phone, each marked with DIGITS_MARK ("zq0838…")
so that only a search for digits alone looks them up (`search_partners.match_query`): a
name with a number in it ("Компания 12") does not match INNs with "12" inside. The
documents are made again and the triggers of 0010 are replaced by the same triggers with
the new document. PostgreSQL needs no change to its indexes (`search_partners_pg` matches
those digits with its trigram indexes).

Revision ID: 0014_keys
Revises: 0013_deal
Create Date: 2026-12-03
"""

from __future__ import annotations

import importlib

from alembic import op

revision = "0014_keys"
down_revision = "0013_deal"
branch_labels = None
depends_on = None

_0002 = importlib.import_module("crm_tui.store.migrations.versions.0002_partners_search_index")
_0010 = importlib.import_module("crm_tui.store.migrations.versions.0010_partner_name_labels")
OLD_BODY: str = _0010.BODY

DIGITS_MARK = "zq"  # crm_tui.store.search_partners.DIGITS_MARK
INN = "c.inn || ' '"
# An INN has 10 or 12 digits: its suffixes from the second digit on.
INN_SUFFIXES = "c.inn || ' ' || " + " || ".join(
    f"CASE WHEN length(c.inn) >= {start} THEN '{DIGITS_MARK}' || substr(c.inn, {start}) "
    "|| ' ' ELSE '' END" for start in range(2, 13))
COUNTERPARTY_DIGITS = _0002._digits("coalesce(c.phone, '')")
CONTACT_DIGITS = _0002._digits("j.value")


def _last_seven(digits: str) -> str:
    return f"'{DIGITS_MARK}' || substr({digits}, -7)"


def _body() -> str:
    """0002's document with the INN suffixes and the phones' last seven digits added."""
    body = OLD_BODY
    for old, new in (
        (INN, INN_SUFFIXES),
        (COUNTERPARTY_DIGITS,
         f"{COUNTERPARTY_DIGITS} || ' ' || {_last_seven(COUNTERPARTY_DIGITS)}"),
        (f"{CONTACT_DIGITS} || ' '",
         f"{CONTACT_DIGITS} || ' ' || {_last_seven(CONTACT_DIGITS)} || ' '"),
    ):
        assert body.count(old) == 1, old  # 0002's document as it is
        body = body.replace(old, new)
    return body


BODY = _body()
TRIGGERS = {name: trigger.replace(OLD_BODY, BODY) for name, trigger in _0010.TRIGGERS.items()}


def _rebuild(body: str, triggers: dict[str, str]) -> None:
    _0010._replace_triggers(triggers)
    op.execute("DELETE FROM partner_search")
    op.execute(f"INSERT INTO partner_search(rowid, body) SELECT l.label, {body} FROM partner p "
               "JOIN partner_label l ON l.partner_id = p.id ORDER BY 1")
    op.execute("INSERT INTO partner_search(partner_search) VALUES ('optimize')")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(BODY, TRIGGERS)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(OLD_BODY, _0010.TRIGGERS)
