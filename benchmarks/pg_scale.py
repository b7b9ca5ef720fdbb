"""PostgreSQL at scale: the huge demo set loaded into PostgreSQL and measured as
benchmarks/run.py measures SQLite, each figure beside its floor from the same run.

    python benchmarks/pg_scale.py --url postgresql+psycopg://crm:crm@127.0.0.1/crm_bench \\
        --jsonl huge.jsonl [--skip-import | --import-only] [--write docs/benchmarks.md]

The database named by --url is emptied (its `public` schema dropped and made again) unless
--skip-import keeps what an earlier run loaded. Measures:
- import: `crm import` of the file (in-process import_file, the schema made first) against a
  bare psycopg loader of the same file into a minimal schema (one table per record type,
  `json.loads` of each line and nothing more, one executemany per type, one transaction);
- sections, keystrokes p50/p95 in partners/board/inbox/claims and the partner search (key to
  results), by benchmarks/probe.py on the PostgreSQL URL, beside the bare line-API list;
- each report against a bare psycopg replay of the very SQL it ran;
- each keystroke of the partner search (page + count) against a bare psycopg replay.
With --write the table replaces the PostgreSQL section of the file (between its markers).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
BEGIN, END = "<!-- postgresql: kept by benchmarks/pg_scale.py -->", "<!-- /postgresql -->"
ROUNDS = 3
# The import figures of the last load (kept for --skip-import runs).
IMPORT_RESULT = HERE / ".data" / "pg-import.json"
SEARCH_REPEATS = 15


def _raw(url: str) -> Any:
    """A bare psycopg connection to the database of the SQLAlchemy `url`."""
    import psycopg
    from sqlalchemy.engine import make_url

    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = psycopg.connect(plain)
    # As the app reads (store/pg.py): one REPEATABLE READ snapshot per read transaction.
    connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    return connection


def _timed(work: Any) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def empty(url: str) -> None:
    """Drop everything crm-tui (and an earlier floor) made in the database."""
    with _raw(url) as connection:
        connection.execute("DROP SCHEMA IF EXISTS public CASCADE")
        connection.execute("DROP SCHEMA IF EXISTS floor CASCADE")
        connection.execute("CREATE SCHEMA public")


def _process_time(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the client process) of running `command`, niced: the
    machine is shared. The server's CPU time is not in the second figure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(["nice", "-n", "5", *command], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def import_rate(url: str, jsonl: Path) -> dict[str, float]:
    """`crm import` of the file into the emptied database (the schema made first, as a user's
    first import makes it) against the bare psycopg loader, both as whole processes."""
    empty(url)
    crm = Path(sys.executable).with_name("crm")
    crm_wall, crm_cpu = _process_time([str(crm), "--db", url, "import", str(jsonl)])
    floor_wall, floor_cpu = _process_time([sys.executable, __file__, "--floor", "--url", url,
                                           "--jsonl", str(jsonl)])
    records = sum(1 for line in jsonl.open(encoding="utf-8") if line.strip())
    return {"records": records, "crm wall s": crm_wall, "crm cpu s": crm_cpu,
            "floor wall s": floor_wall, "floor cpu s": floor_cpu}


def bare_load(url: str, jsonl: Path) -> None:
    """The floor, as benchmarks/import_floor.py's for SQLite: `json.loads` of every line, one
    table per record type (its key and the line), one executemany each, one transaction,
    in a schema of its own (dropped afterwards)."""
    rows: dict[str, list[tuple[str | None, str]]] = defaultdict(list)
    with jsonl.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            key = record.get("id") or record.get("code") or record.get("login")
            rows[record["type"]].append((key, line))
    with _raw(url) as connection:
        connection.execute("DROP SCHEMA IF EXISTS floor CASCADE")
        with connection.cursor() as cursor:
            cursor.execute("CREATE SCHEMA floor")
            for kind, values in rows.items():
                cursor.execute(f'CREATE TABLE floor."{kind}" (key text UNIQUE, '
                               "record text NOT NULL)")
                cursor.executemany(f'INSERT INTO floor."{kind}" VALUES (%s, %s)', values)
        connection.commit()
        connection.execute("DROP SCHEMA floor CASCADE")
        connection.commit()


def probe(*args: str) -> Any:
    done = subprocess.run([sys.executable, str(HERE / "probe.py"), *args], check=False,
                          capture_output=True, text=True,
                          env=dict(os.environ, TERM="xterm-256color"))
    if done.returncode != 0:
        raise RuntimeError(f"probe {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def reports(url: str, rounds: int) -> list[tuple[str, float, float, int]]:
    """(report, seconds through crm, seconds replaying its SQL through bare psycopg, rows
    that replay read: none means the data set has nothing for the report, and its floor
    measures nothing — the huge demo set has no demand lines)."""
    from sqlalchemy import event

    from crm_tui.reports import queries
    from crm_tui.reports.registry import ReportParams, available_reports, compute
    from crm_tui.store.database import Database

    database = Database.open(url)
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            captured.append((statement, parameters))

    rows = []
    with _raw(url) as raw:
        for info in available_reports():
            params = ReportParams()
            captured.clear()
            # Seen only through SQLAlchemy's events: the statements a report reads from
            # psycopg's cursor go through SQLAlchemy for this run; their SQL and parameters
            # are the same.
            event.listen(database.engine, "before_cursor_execute", capture)
            queries.READ_FROM_DRIVER = False
            try:
                compute(database, info.name, params)
            finally:
                queries.READ_FROM_DRIVER = True
                event.remove(database.engine, "before_cursor_execute", capture)
            statements = list(captured)

            read: list[int] = []

            def replay(statements: list[tuple[str, Any]] = statements,
                       read: list[int] = read) -> None:
                with raw.cursor() as cursor:
                    for sql, parameters in statements:
                        cursor.execute(sql, parameters)
                        read.append(len(cursor.fetchall()))
                raw.rollback()

            app_time = min(_timed(lambda n=info.name, p=params: compute(database, n, p))
                           for _ in range(rounds))
            floor = min(_timed(replay) for _ in range(rounds))
            rows.append((info.name, app_time, floor, sum(read)))
    database.close()
    return rows


def search_queries(url: str, repeats: int) -> list[tuple[str, float, float]]:
    """(typed text, seconds the partner list reads on that keystroke — page and count —,
    seconds replaying that SQL through bare psycopg), timed in turns; medians."""
    from probe import SEARCH_WORD  # type: ignore[import-not-found]
    from sqlalchemy import event

    from crm_tui.screens.partners.list import PartnerSource
    from crm_tui.store.database import Database
    from crm_tui.store.search_partners import PartnerFilter
    from crm_tui.widgets.virtual_list import PAGE_SIZE

    database = Database.open(url)
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            captured.append((statement, parameters))

    rows = []
    with _raw(url) as raw:
        for length in range(1, len(SEARCH_WORD) + 1):
            typed = SEARCH_WORD[:length]
            wanted = PartnerFilter(text=typed)

            def keystroke(flt: PartnerFilter = wanted) -> None:
                source = PartnerSource(database, flt)
                source.fetch(0, PAGE_SIZE)
                source.count()

            # On PostgreSQL the search's statements go through the engine (search_partners
            # ._run), so its events see them as the driver receives them.
            captured.clear()
            event.listen(database.engine, "before_cursor_execute", capture)
            try:
                keystroke()
            finally:
                event.remove(database.engine, "before_cursor_execute", capture)
            statements = list(captured)
            if len(statements) != 2:
                raise RuntimeError(f"a search keystroke read {len(statements)} statements, "
                                   "not 2")

            def replay(statements: list[tuple[str, Any]] = statements) -> None:
                with raw.cursor() as cursor:
                    for sql, parameters in statements:
                        cursor.execute(sql, parameters)
                        cursor.fetchall()
                raw.rollback()

            app_times, floor_times = [], []
            for _ in range(repeats):
                app_times.append(_timed(keystroke))
                floor_times.append(_timed(replay))
            rows.append((typed, statistics.median(app_times), statistics.median(floor_times)))
    database.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="postgresql+psycopg://… (emptied)")
    parser.add_argument("--jsonl", type=Path, help="the exchange file to load (crm export)")
    parser.add_argument("--skip-import", action="store_true",
                        help="keep the loaded database; show the import figures it was "
                        f"loaded with ({IMPORT_RESULT.relative_to(HERE.parent)})")
    parser.add_argument("--import-only", action="store_true",
                        help="load and time the import against its floor, measure nothing "
                        "else (the import's own A/B runs)")
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--write", metavar="FILE")
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help=f"app sessions and report timings (default {ROUNDS})")
    parser.add_argument("--search-repeats", type=int, default=SEARCH_REPEATS,
                        help=f"timings of each search keystroke (default {SEARCH_REPEATS})")
    args = parser.parse_args()
    if args.floor:
        bare_load(args.url, args.jsonl)
        return 0
    started_load = os.getloadavg()[0]
    lines: list[tuple[str, str, str, str, str]] = []

    def add(what: str, value: float, floor: float | None, unit: str, target: str) -> None:
        scale = 1000 if unit == "ms" else 1
        ratio = f"{value / floor:.2f}×" if floor else "—"
        lines.append((what, f"{value * scale:.1f} {unit}",
                      f"{floor * scale:.1f} {unit}" if floor else "—", ratio, target))
        print(" | ".join(lines[-1]), file=sys.stderr, flush=True)

    if not args.skip_import:
        if args.jsonl is None:
            parser.error("--jsonl is needed unless --skip-import")
        loaded = import_rate(args.url, args.jsonl)
        IMPORT_RESULT.parent.mkdir(exist_ok=True)
        IMPORT_RESULT.write_text(json.dumps(loaded), encoding="utf-8")
    elif IMPORT_RESULT.exists():
        loaded = json.loads(IMPORT_RESULT.read_text(encoding="utf-8"))
    else:
        loaded = None
    if loaded is not None:
        for what in ("wall", "cpu"):
            add(f"import of {loaded['records']:,} records, {what}", loaded[f"crm {what} s"],
                loaded[f"floor {what} s"], "s", "≤ 3× minimal loader")
    if args.import_only:
        return 0
    from crm_tui.store.database import Database

    Database.open(args.url).close()  # a database loaded earlier: upgraded first, not timed

    floor_keys = [probe("floor-keys") for _ in range(args.rounds)]
    sessions = [probe("interactive", args.url) for _ in range(args.rounds)]

    def median(values: list[float]) -> float:
        return statistics.median(values)

    for section in sessions[0]["open"]:
        add(f"open section: {section}", median([s["open"][section] for s in sessions]), None,
            "ms", "≤ 100 ms")
    for section in sessions[0]["keys"]:
        for key in ("down", "pagedown"):
            for stat in ("p50", "p95"):
                value = median([s["keys"][section][key][stat] for s in sessions])
                floor_value = median([f[key][stat] for f in floor_keys])
                add(f"{section}: {key} ×100 {stat}", value, floor_value, "ms",
                    "≤ 1.2× floor" if stat == "p50" else "≤ 33 ms")
    if sessions[0].get("search"):
        for stat in ("p50", "p95"):
            add(f"partner search: key to results {stat}",
                median([s["search"]["results"][stat] for s in sessions]), None, "ms",
                "≤ 20 ms")
    for typed, seconds, floor in search_queries(args.url, args.search_repeats):
        add(f"partner search query «{typed}» (page + count)", seconds, floor, "ms",
            "≤ 1.5× floor")
    for name, seconds, floor, read in reports(args.url, args.rounds):
        if read:
            add(f"report {name}", seconds, floor, "ms", "≤ 1.5× floor")
        else:  # a replay of statements that find nothing is no floor
            add(f"report {name} (no rows in this data set)", seconds, None, "ms", "—")

    header = ("measure (PostgreSQL)", "crm-tui", "floor", "ratio", "target")
    table = [header, tuple("---" for _ in header), *lines]
    with _raw(args.url) as connection:
        server = connection.execute("SHOW server_version").fetchone()
    # The machine is shared: its load tells how far the wall-clock figures are inflated.
    # Say what was run: a load and its measures, or measures of a database loaded earlier.
    how = "--skip-import" if args.skip_import else f"--jsonl {Path(args.jsonl).name}"
    markdown = (f"Measured {date.today()} with `python benchmarks/pg_scale.py {how} "
                f"--rounds {args.rounds} --search-repeats {args.search_repeats}`, PostgreSQL "
                f"{server[0] if server else '?'}, load average {started_load:.1f} at the "
                f"start, {os.getloadavg()[0]:.1f} at the end.\n\n"
                + "\n".join("| " + " | ".join(row) + " |" for row in table))
    print(markdown)
    if args.write:
        path = Path(args.write)
        text = path.read_text(encoding="utf-8")
        block = f"{BEGIN}\n{markdown}\n{END}"
        if BEGIN in text and END in text:
            text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
        else:
            text = text.rstrip("\n") + "\n\n## PostgreSQL\n\n" + block + "\n"
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
