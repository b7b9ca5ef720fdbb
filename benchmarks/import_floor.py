"""Compare `crm import` with a bare sqlite3 executemany of the same main rows.

    python benchmarks/import_floor.py [FILE]   # default: a generated `large` demo file
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from crm_tui.exchange.demo import generate
from crm_tui.exchange.importer import import_file
from crm_tui.store.database import Database

TABLES = {"partner": ("key", "name", "roles"), "deal": ("key", "name", "partner_id", "kind_id",
          "manager_id", "amount_minor", "created_at", "status"),
          "interaction": ("key", "kind", "topic", "at", "status"),
          "claim": ("key", "partner_id", "reason_id", "registered_at", "description", "status",
                    "source", "posted")}


def floor(path: Path, folder: Path) -> float:
    """Seconds for json.loads of every line plus executemany of the main rows."""
    url = f"sqlite:///{folder / 'floor.sqlite3'}"
    Database.open(url).close()
    connection = sqlite3.connect(folder / "floor.sqlite3")
    start = time.perf_counter()
    rows: dict[str, list[tuple[object, ...]]] = {name: [] for name in TABLES}
    for line in path.open(encoding="utf-8"):
        record = json.loads(line)
        kind = record["type"]
        if kind == "partner":
            rows[kind].append((record["id"], record["name"], 1))
        elif kind == "deal":
            rows[kind].append((record["id"], record["name"], 1, 1, 1, 0, record["created_at"],
                               record["status"]))
        elif kind == "interaction":
            rows[kind].append((record["id"], record["kind"], record["topic"], record["at"],
                               record["status"]))
        elif kind == "claim":
            rows[kind].append((record["id"], 1, 1, record["registered_at"],
                               record["description"], record["status"], record["source"], 0))
    connection.execute("PRAGMA foreign_keys = OFF")
    with connection:
        for name, columns in TABLES.items():
            connection.executemany(
                f'INSERT INTO "{name}" ({", ".join(columns)}, version) '
                f'VALUES ({", ".join("?" * len(columns))}, 1)', rows[name])
    connection.close()
    return time.perf_counter() - start


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
        bare = floor(path, folder)
        db = Database.open(f"sqlite:///{folder / 'crm.sqlite3'}")
        start = time.perf_counter()
        import_file(db, path)
        ours = time.perf_counter() - start
        db.close()
        print(f"bare sqlite3: {bare:.2f} s; crm import: {ours:.2f} s; ratio {ours / bare:.1f}")


if __name__ == "__main__":
    main()
