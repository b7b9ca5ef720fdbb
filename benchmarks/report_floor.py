"""The funnel against its floor: a bare sqlite3 script computing the same numbers.

    python benchmarks/report_floor.py [--deals 60000] [--rounds 3]

Builds (once) a SQLite database with N deals in benchmarks/.data/, then times the best of
`--rounds` runs of (a) the four grouped queries below through the sqlite3 module alone and
(b) `crm_tui.reports.registry.compute(db, "funnel", ...)`, checks that both give the same
numbers, and exits 1 when the report takes more than twice the floor.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / ".data"
POPULATION = (
    "FROM deal d JOIN deal_kind k ON k.id = d.kind_id "
    "WHERE k.stage_control IN ('strict', 'manual')"
)
FLOOR_QUERIES = {
    "furthest": """
        SELECT far, COUNT(*), SUM(amount) FROM (
            SELECT d.id, d.amount_minor AS amount, MAX(c.sort_order) AS far
            FROM deal d JOIN deal_kind k ON k.id = d.kind_id
            JOIN deal_stage_entry e ON e.deal_id = d.id
            JOIN classifier c ON c.id = e.stage_id
            WHERE k.stage_control IN ('strict', 'manual')
            GROUP BY d.id
        ) GROUP BY far""",
    "latest": """
        SELECT e.stage_id, d.status, COUNT(*)
        FROM deal d JOIN deal_kind k ON k.id = d.kind_id
        JOIN (SELECT deal_id, MAX(seq) AS seq FROM deal_stage_entry GROUP BY deal_id) l
            ON l.deal_id = d.id
        JOIN deal_stage_entry e ON e.deal_id = l.deal_id AND e.seq = l.seq
        WHERE k.stage_control IN ('strict', 'manual') AND d.status IN ('open', 'lost')
        GROUP BY e.stage_id, d.status""",
    "durations": """
        SELECT stage_id, COUNT(*),
               SUM(CAST(ROUND((julianday(left_at) - julianday(at)) * 86400) AS INTEGER))
        FROM (
            SELECT e.stage_id, e.at, COALESCE(
                LEAD(e.at) OVER (PARTITION BY e.deal_id ORDER BY e.seq), d.closed_at
            ) AS left_at
            FROM deal_stage_entry e JOIN deal d ON d.id = e.deal_id
            JOIN deal_kind k ON k.id = d.kind_id
            WHERE k.stage_control IN ('strict', 'manual')
        ) WHERE left_at IS NOT NULL GROUP BY stage_id""",
    "totals": f"SELECT d.status, COUNT(*), SUM(d.amount_minor) {POPULATION} GROUP BY d.status",
}


def build(path: Path, deals: int) -> None:
    """A database with the schema (through the app) and `deals` random deals."""
    from crm_tui.store.database import Database

    Database.open(f"sqlite:///{path}").close()
    rng = random.Random(42)
    connection = sqlite3.connect(path)
    stages = ["lead", "qualify", "proposal", "negotiate", "contract"]
    with connection:
        for order, code in enumerate(stages, 1):
            connection.execute(
                "INSERT INTO classifier (id, kind, code, name, sort_order, archived) "
                "VALUES (?, 'stage', ?, ?, ?, 0)", (order, code, code.title(), order * 10))
        kinds = [(1, "typical", "strict"), (2, "project", "manual"), (3, "long", "none")]
        for kind_id, code, control in kinds:
            connection.execute(
                "INSERT INTO deal_kind (id, code, name, stage_control, sort_order, archived) "
                "VALUES (?, ?, ?, ?, 0, 0)", (kind_id, code, code, control))
            if control != "none":
                for position in range(1, 6):
                    connection.execute(
                        "INSERT INTO deal_kind_stage (kind_id, position, stage_id) "
                        "VALUES (?, ?, ?)", (kind_id, position, position))
        for user_id in range(1, 11):
            connection.execute("INSERT INTO app_user (id, login, name, role) "
                               "VALUES (?, ?, ?, 'manager')", (user_id, f"m{user_id}", "M"))
        connection.execute("INSERT INTO partner (id, key, name, roles, version) "
                           "VALUES (1, 'P1', 'P', 1, 1)")
        deal_rows, entry_rows = [], []
        start = datetime(2024, 1, 1)
        for deal_id in range(1, deals + 1):
            kind_id = rng.choice((1, 1, 2, 3))
            created = start + timedelta(minutes=rng.randrange(0, 800 * 24 * 60))
            status = rng.choice(("open", "open", "won", "lost"))
            at = created
            count = 0 if kind_id == 3 else rng.randint(0 if status == "lost" else 1, 6)
            stage = 1
            for seq in range(1, count + 1):
                at += timedelta(minutes=rng.randrange(60, 30 * 24 * 60))
                entry_rows.append((deal_id, seq, stage, at.isoformat(" ")))
                stage = stage + 1 if kind_id == 1 else rng.randint(1, 5)
                if stage > 5:
                    break
            closed = (at + timedelta(days=rng.randint(0, 20))).isoformat(" ")
            deal_rows.append((deal_id, f"D{deal_id}", "Deal", 1, kind_id, rng.randint(1, 10),
                              rng.randrange(0, 10**9), created.isoformat(" "), status,
                              None if status == "open" else closed))
        connection.executemany(
            "INSERT INTO deal (id, key, name, partner_id, kind_id, manager_id, amount_minor, "
            "created_at, status, closed_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,1)", deal_rows)
        connection.executemany(
            "INSERT INTO deal_stage_entry (deal_id, seq, stage_id, at) VALUES (?,?,?,?)",
            entry_rows)
    connection.close()


def floor(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """The funnel's numbers with the sqlite3 module alone."""
    connection = sqlite3.connect(path)
    try:
        return {name: connection.execute(sql).fetchall() for name, sql in FLOOR_QUERIES.items()}
    finally:
        connection.close()


def best_of(rounds: int, work):  # type: ignore[no-untyped-def]
    timings, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - started)
    return min(timings), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=60_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from crm_tui.reports.base import ReportParams
    from crm_tui.reports.registry import compute
    from crm_tui.store.database import Database

    DATA_DIR.mkdir(exist_ok=True)
    path = DATA_DIR / f"funnel-{args.deals}.sqlite3"
    if not path.exists():
        build(path, args.deals)
    floor_time, numbers = best_of(args.rounds, lambda: floor(path))
    db = Database.open(f"sqlite:///{path}")
    compute(db, "funnel", ReportParams())  # warm up: imports, connection pool
    report_time, result = best_of(args.rounds, lambda: compute(db, "funnel", ReportParams()))
    db.close()
    deals_total = sum(count for _status, count, _amount in numbers["totals"])
    reached_first = sum(count for _far, count, _amount in numbers["furthest"])
    assert result.totals["deals"] == deals_total, (result.totals, deals_total)
    assert result.rows[0]["reached"] == reached_first, (result.rows[0], reached_first)
    ratio = report_time / floor_time
    print(f"deals={args.deals} floor={floor_time:.3f}s report={report_time:.3f}s "
          f"ratio={ratio:.2f}")
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
