"""Demo data keys look like the keys the app makes (CL-000001, not CL0000001), and the
app's next new record continues after them."""

from __future__ import annotations

import re

from sqlalchemy import text

from crm_tui.exchange.demo import load_demo
from crm_tui.store.database import Database
from crm_tui.store.keys import PREFIXES, next_key


def test_demo_keys_have_the_app_form_and_new_keys_follow(db: Database) -> None:
    counts = load_demo(db, "small", 1)
    with db.read() as session:
        for entity, prefix in PREFIXES.items():
            keys = [row[0] for row in session.execute(text(f"SELECT key FROM {entity}"))]
            assert keys, entity
            odd = [key for key in keys if not re.fullmatch(re.escape(prefix) + r"\d{6}", key)]
            assert odd == [], entity
    with db.write() as session:
        assert next_key(session, "claim") == f"CL-{counts['claim'] + 1:06d}"
        assert next_key(session, "partner") == f"P-{counts['partner'] + 1:06d}"
