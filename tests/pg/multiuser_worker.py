"""One user process of the multi-user test: N read-modify-write cycles through the store.

Each cycle, in one `db.write()`: read the counter setting, write it back plus one, take a
new partner key with `next_key` and insert a partner with it. Prints the keys it got."""

from __future__ import annotations

import sys

from sqlalchemy import insert, text

from crm_tui.store.database import Database
from crm_tui.store.keys import next_key
from crm_tui.store.models import Partner


def main(url: str, cycles: int) -> None:
    database = Database.open(url)
    keys = []
    for _ in range(cycles):
        with database.write() as session:
            value = session.execute(
                text("SELECT value FROM setting WHERE key = 'counter'")).scalar_one()
            session.execute(text("UPDATE setting SET value = :v WHERE key = 'counter'"),
                            {"v": str(int(value) + 1)})
            key = next_key(session, "partner")
            session.execute(insert(Partner.__table__).values(  # type: ignore[attr-defined]
                key=key, name=key, roles=1, version=1))
            keys.append(key)
    database.close()
    print("\n".join(keys))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
