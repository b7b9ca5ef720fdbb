"""A writer process for the stress tests: `python -m tests.stress.writer DB MODE [N]`.

Modes:
  counter N  — N read-modify-write saves of partner P1 (read the counter, write it + 1).
  claims N   — N big documents: a claim with TASKS tasks and its audit rows, in one save
               each (N = 0: until killed).
Prints "ready" once the database is open; on any error prints it and exits 1."""

from __future__ import annotations

import sys
from datetime import date, datetime

from sqlalchemy import insert, select

from crm_tui.store import audit
from crm_tui.store.database import Database
from crm_tui.store.keys import next_key
from crm_tui.store.models import Claim, ClaimTask, Partner
from crm_tui.store.versioning import update_versioned

TASKS = 300


def counter(db: Database, count: int) -> None:
    for _ in range(count):
        with db.write() as session:
            row = session.execute(
                select(Partner.id, Partner.version, Partner.comment).where(Partner.key == "P1")
            ).one()
            value = int(row.comment or "0") + 1
            update_versioned(session, "partner", row.id, row.version, {"comment": str(value)})
            audit.record(session, "partner", "P1", "update",
                         {"comment": (row.comment, str(value))})


def claims(db: Database, count: int) -> None:
    number = 0
    while count == 0 or number < count:
        number += 1
        with db.write() as session:
            partner_id, reason_id = session.execute(
                select(Partner.id, Claim.reason_id).select_from(Partner)
                .join(Claim, Claim.partner_id == Partner.id).limit(1)).one()
            key = next_key(session, "claim")
            claim = Claim(key=key, partner_id=partner_id, reason_id=reason_id,
                          registered_at=datetime(2026, 1, 1, 9, 0), description="x" * 500)
            session.add(claim)
            session.flush()
            session.execute(insert(ClaimTask), [
                {"claim_id": claim.id, "seq": seq, "name": f"Task {seq}",
                 "description": "y" * 200, "due": date(2026, 2, 1), "done": False}
                for seq in range(1, TASKS + 1)])
            audit.record(session, "claim", key, "insert", {"tasks": (None, TASKS)})


def main(argv: list[str]) -> int:
    url, mode = argv[0], argv[1]
    count = int(argv[2]) if len(argv) > 2 else 0
    db = Database.open(url)
    print("ready", flush=True)
    try:
        {"counter": counter, "claims": claims}[mode](db, count)
    except Exception as error:  # reported to the parent test
        print(f"error: {type(error).__name__}: {error}", flush=True)
        return 1
    finally:
        db.close()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
