"""Compare `crm import` with a minimal loader of the same file (issue 24 §2).

    python benchmarks/import_floor.py [--rounds N] [FILE]   # default: a generated `large` file
    python benchmarks/import_floor.py --floor FILE DB        # the floor alone

The floor is a bare Python + sqlite3 loader: `json.loads` of every line (no validation
beyond JSON), then one table per record type (its key and the line as it was) filled with
one `executemany` each, in one transaction, with the app's storage settings (WAL,
synchronous NORMAL). Both run as whole processes into a fresh database (`crm import` also
makes its schema), alternately, `--rounds` times each (the machine may be shared): the
medians of their wall-clock and CPU times and the ratios are printed as JSON.
"""

from __future__ import annotations

import json
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def floor(path: Path, target: Path) -> None:
    """Load the exchange file at `path` into a new SQLite database `target`."""
    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    rows: dict[str, list[tuple[str, str]]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            key = record.get("id") or record.get("code") or record.get("login")
            rows.setdefault(record["type"], []).append((key, line))
    connection.execute("BEGIN")
    for kind, values in rows.items():
        connection.execute(f'CREATE TABLE "{kind}" (key TEXT PRIMARY KEY, record TEXT NOT NULL)')
        connection.executemany(f'INSERT INTO "{kind}" VALUES (?, ?)', values)
    connection.execute("COMMIT")
    connection.close()


def _timed(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of running `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(path: Path, folder: Path, rounds: int) -> dict[str, float]:
    """Median seconds (wall clock and CPU) of the floor and of `crm import`, run alternately.
    On a loaded machine the CPU time is the steadier figure: the wall clock also counts
    the time spent waiting for a core."""
    crm = Path(sys.executable).with_name("crm")
    floors, ours = [], []
    for number in range(rounds):
        floors.append(_timed([sys.executable, __file__, "--floor", str(path),
                              str(folder / f"floor-{number}.sqlite3")]))
        ours.append(_timed([str(crm), "--db", str(folder / f"crm-{number}.sqlite3"),
                            "import", str(path)]))
    result: dict[str, float] = {"records": sum(1 for _ in path.open(encoding="utf-8"))}
    for index, what in enumerate(("wall", "cpu")):
        floor_s = statistics.median(times[index] for times in floors)
        ours_s = statistics.median(times[index] for times in ours)
        result |= {f"floor {what} s": round(floor_s, 2), f"crm import {what} s": round(ours_s, 2),
                   f"ratio {what}": round(ours_s / floor_s, 2)}
    return result


def main(argv: list[str]) -> None:
    if argv[:1] == ["--floor"]:
        floor(Path(argv[1]), Path(argv[2]))
        return
    rounds = 3
    if argv[:1] == ["--rounds"]:
        rounds, argv = int(argv[1]), argv[2:]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if argv:
            path = Path(argv[0])
        else:
            from crm_tui.exchange.demo import generate

            path = folder / "large.jsonl"
            with path.open("w", encoding="utf-8") as handle:
                for record in generate("large", 1):
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(json.dumps(measure(path, folder, rounds)))


if __name__ == "__main__":
    main(sys.argv[1:])
