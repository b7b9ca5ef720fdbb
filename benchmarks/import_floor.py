"""Compare `crm import` with a bare Python + sqlite3 script inserting the same rows.

    python benchmarks/import_floor.py [FILE]   # default: a generated `large` demo file

The floor is what a bare script cannot avoid: `json.loads` of every line, then one
`executemany` per table, in one transaction, of exactly the rows `crm import` wrote (every
table, not only the main ones: contacts, stage histories, participants… — captured from the
measured import itself), into a fresh database with the same schema (indexes and search
triggers included), the app's storage settings and page cache, and foreign-key checks off.
Building those rows from the records is not counted, so the floor is a little lower than any
real script.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crm_tui.exchange.demo import generate
from crm_tui.exchange.importer import IMPORT_CACHE_KIB, import_file
from crm_tui.store.database import Database

Statement = tuple[str, list[tuple[Any, ...]]]


def measure(path: Path, folder: Path) -> tuple[float, float]:
    """(crm import seconds, floor seconds) for the exchange file at `path`."""
    db = Database.open(f"sqlite:///{folder / 'crm.sqlite3'}")
    captured: list[Statement] = []
    ours = _capturing(captured, lambda: import_file(db, path))
    db.close()
    return ours, floor(path, folder, captured)


def _capturing(captured: list[Statement], work: Callable[[], object]) -> float:
    """Seconds `work` takes; the bulk INSERTs it sends to the driver go to `captured`."""
    from sqlalchemy.engine import Connection

    original = Connection.exec_driver_sql

    def exec_driver_sql(self: Connection, statement: str, parameters: Any = None,
                        *args: Any, **kwargs: Any) -> Any:
        if statement.startswith("INSERT") and isinstance(parameters, list):
            captured.append((statement, parameters))
        return original(self, statement, parameters, *args, **kwargs)

    Connection.exec_driver_sql = exec_driver_sql  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        work()
        return time.perf_counter() - start
    finally:
        Connection.exec_driver_sql = original  # type: ignore[method-assign]


def floor(path: Path, folder: Path, statements: list[Statement]) -> float:
    """Seconds for json.loads of every line plus executemany of the same rows."""
    target = folder / "floor.sqlite3"
    Database.open(f"sqlite:///{target}").close()
    connection = sqlite3.connect(target)
    connection.execute("PRAGMA foreign_keys = OFF")
    # The same storage settings as the app's import: WAL, synchronous NORMAL, its page cache.
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    start = time.perf_counter()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            json.loads(line)
    with connection:
        for statement, rows in statements:
            connection.executemany(statement, rows)
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if len(sys.argv) > 1:
            path = Path(sys.argv[1])
        else:
            path = folder / "large.jsonl"
            with path.open("w", encoding="utf-8") as handle:
                for record in generate("large", 1):
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        ours, bare = measure(path, folder)
        print(f"bare sqlite3: {bare:.2f} s; crm import: {ours:.2f} s; ratio {ours / bare:.1f}")


if __name__ == "__main__":
    main()
