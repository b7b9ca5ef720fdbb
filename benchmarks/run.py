"""The performance benchmark: every figure next to its floor measured in the same run.

    python benchmarks/run.py [--size large|huge] [--skip-import] [--write docs/benchmarks.md]
    python benchmarks/run.py --only import [--rounds N]    # the import against its floor alone

Builds (once) the demo databases in benchmarks/.data/ with `crm demo`, then measures:
- cold start of `crm` to its first frame and to its first screen filled with data, against a
  bare Textual app started the same way (in-process probe; also the instructions executed
  to that first frame under valgrind: benchmarks/first_frame_instructions.py), the installed
  `crm` command in tmux to its first screen against a bare Textual app script in tmux
  (benchmarks/terminal_start.py), and `crm --version` against `python -c "import argparse"`;
- opening each section (time from the key to the frame after its data loaded);
- keystroke latency (p50, p95) of cursor down and page down ×100 in the partner list, the
  deals board, the inbox and the claims list, against a bare line-API list (framework floor);
  typing a search word letter by letter in the partner list (key to results);
- each report's computation, against a bare sqlite3 replay of the very SQL it ran, and each
  report from the command line, the whole process (`crm report NAME --format json`), against
  a bare python + sqlite3 + json script running that SQL (benchmarks/cli_reports.py);
- import rate against a minimal Python + sqlite3 loader of the same file (one table per
  type, no validation beyond JSON: benchmarks/import_floor.py);
- bytes the installed `crm` writes to its terminal (tmux pipe-pane) per Down key in the lists,
  the board and the calendar, and while idle, against a bare DataTable (terminal_bytes.py);
- peak memory (RSS) with the database open and every section visited.
Sections, keystrokes and search are measured in three sessions; each figure is the median.
Targets (issue "Fast at scale") are printed beside the figures; the run never fails on them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
PROBE = HERE / "probe.py"
NOTES_MARKER = "<!-- notes: kept by benchmarks/run.py -->"


def database(size: str) -> Path:
    """The demo database of `size`, generated on first use."""
    DATA.mkdir(exist_ok=True)
    path = DATA / f"{size}.sqlite3"
    if not path.exists():
        print(f"generating the {size} demo database (once)…", file=sys.stderr)
        started = time.perf_counter()
        # Made under another name and renamed when complete: an interrupted run leaves no
        # half-made database to be measured next time.
        partial = path.with_name(f"{path.stem}.partial{path.suffix}")
        for leftover in DATA.glob(f"{partial.name}*"):
            leftover.unlink()
        subprocess.run([sys.executable, "-m", "crm_tui", "demo", "--size", size, "--db",
                        str(partial)], check=True)
        partial.rename(path)
        print(f"  took {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def probe(*args: str) -> Any:
    result = subprocess.run([sys.executable, str(PROBE), *args], capture_output=True, text=True,
                            check=False, env=dict(os.environ, TERM="xterm-256color"))
    if result.returncode != 0:
        raise RuntimeError(f"probe {args} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


ROUNDS = 3
SEARCH_REPEATS = 41  # times each search keystroke is read, in turns with its bare replay


def median_of(runs: list[Any]) -> Any:
    """The runs' figures, each the median of its values across runs (same nested keys)."""
    first = runs[0]
    if isinstance(first, dict):
        return {key: median_of([run[key] for run in runs]) for key in first}
    return statistics.median(runs)


START_ROUNDS = 15


def cold_starts(db: str, rounds: int = START_ROUNDS) -> tuple[float, float, float, float]:
    """(bare app's first frame, crm's first frame, their ratio, crm's first data), in
    seconds: medians of `rounds` cold starts of each, taken in pairs (bare, then crm).

    The ratio is the median of the pairs' ratios: this machine's speed drifts by 1.5-2x over
    minutes and Python's own start varies by +-30 ms, so that the best of a few starts, or
    even the ratio of two medians, was decided by when each start happened to run."""
    pairs = [
        (probe("start", "bare", "-", repr(time.perf_counter())),
         probe("start", "crm", db, repr(time.perf_counter())))
        for _ in range(rounds)
    ]
    return (
        statistics.median(bare["first_frame"] for bare, _crm in pairs),
        statistics.median(crm["first_frame"] for _bare, crm in pairs),
        statistics.median(crm["first_frame"] / bare["first_frame"] for bare, crm in pairs),
        statistics.median(crm["first_data"] for _bare, crm in pairs),
    )


def reports(db: Path) -> list[tuple[str, float, float, int]]:
    """(report, seconds through crm, seconds replaying its SQL through bare sqlite3, rows
    the replay read: a replay of statements that find nothing is no floor)."""
    from sqlalchemy import event

    from crm_tui.reports.registry import ReportParams, available_reports, compute
    from crm_tui.store.database import Database

    database_ = Database.open(f"sqlite:///{db}")
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            captured.append((statement, parameters))

    rows = []
    raw = sqlite3.connect(db)
    for info in available_reports():
        name = info.name
        params = ReportParams()
        captured.clear()
        event.listen(database_.engine, "before_cursor_execute", capture)
        compute(database_, name, params)
        event.remove(database_.engine, "before_cursor_execute", capture)
        statements = list(captured)
        app_time = min(_timed(lambda n=name, p=params: compute(database_, n, p))
                       for _ in range(3))
        floor = min(_timed(lambda s=statements: [raw.execute(q, p).fetchall() for q, p in s])
                    for _ in range(3))
        read = sum(len(raw.execute(q, p).fetchall()) for q, p in statements)
        rows.append((name, app_time, floor, read))
    raw.close()
    database_.close()
    return rows


def search_queries(db: Path) -> list[tuple[str, float, float]]:
    """(typed text, seconds for what the partner list reads on that keystroke — its first
    page and its count, rows formatted —, seconds replaying that SQL through bare sqlite3)
    for each prefix of the probe's search word. The two are timed in turns, many times, so
    that the machine's slow moments fall on both alike; each figure is the median."""
    from sqlalchemy import event

    sys.path.insert(0, str(HERE))
    from probe import SEARCH_WORD  # type: ignore[import-not-found]

    from crm_tui.screens.partners.list import PartnerSource
    from crm_tui.store import search_partners
    from crm_tui.store.database import Database
    from crm_tui.store.search_partners import PartnerFilter
    from crm_tui.widgets.virtual_list import PAGE_SIZE

    database_ = Database.open(f"sqlite:///{db}")
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    # The search's own statements go to the driver's cursor, past the engine's events.
    run_statement = search_partners._run

    def run_and_capture(session: Any, sql: str, params: dict[str, Any]) -> list[Any]:
        captured.append((sql, params))
        return run_statement(session, sql, params)

    raw = sqlite3.connect(db, isolation_level=None)
    rows = []
    for length in range(1, len(SEARCH_WORD) + 1):
        typed = SEARCH_WORD[:length]
        flt = PartnerFilter(text=typed)

        def keystroke(flt: PartnerFilter = flt) -> None:
            source = PartnerSource(database_, flt)  # as the list reads it: page, then count
            source.fetch(0, PAGE_SIZE)
            source.count()

        captured.clear()
        event.listen(database_.engine, "before_cursor_execute", capture)
        search_partners._run = run_and_capture
        try:
            keystroke()
        finally:
            search_partners._run = run_statement
            event.remove(database_.engine, "before_cursor_execute", capture)
        statements = list(captured)
        if len(statements) != 2:
            raise RuntimeError(f"a search keystroke read {len(statements)} statements, not 2")

        def replay(statements: list[tuple[str, Any]] = statements) -> None:
            raw.execute("BEGIN")  # one read transaction, as the app's
            for sql, parameters in statements:
                raw.execute(sql, parameters).fetchall()
            raw.execute("COMMIT")

        app_times, floor_times = [], []
        for _ in range(SEARCH_REPEATS):
            app_times.append(_timed(keystroke))
            floor_times.append(_timed(replay))
        rows.append((typed, statistics.median(app_times), statistics.median(floor_times)))
    raw.close()
    database_.close()
    return rows


def median_of_times(command: list[str], rounds: int = 9) -> float:
    """Median wall time of running `command` to its end."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _timed(function: Any) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def import_rate(rounds: int = 1) -> dict[str, float]:
    """import_floor.measure on a generated `large` file: the medians of `rounds` runs of
    `crm import` and of the bare floor (wall clock and CPU seconds, their ratios, records)."""
    import tempfile

    sys.path.insert(0, str(HERE))
    import import_floor  # type: ignore[import-not-found]

    from crm_tui.exchange.demo import generate

    with tempfile.TemporaryDirectory(prefix="crm-bench-") as name:
        folder = Path(name)
        source = folder / "large.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for record in generate("large", 1):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return import_floor.measure(source, folder, rounds)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="huge", choices=["large", "huge"])
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--only", choices=["import"],
                        help="measure this alone (import: `crm import` against its floor, "
                             "printed as JSON, without building the demo database)")
    parser.add_argument("--rounds", type=int, default=1, metavar="N",
                        help="runs of each side of the import measurement (medians)")
    parser.add_argument("--write", metavar="FILE", help="also write the results as Markdown")
    return parser.parse_args(argv)


def main() -> int:
    args = parse_args()
    if args.only == "import":
        print(json.dumps(import_rate(args.rounds)))
        return 0

    db = database(args.size)
    lines: list[tuple[str, str, str, str, str]] = []

    def add(what: str, value: float, floor: float | None, unit: str, target: str,
            ratio_of: float | None = None) -> None:
        scale = 1000 if unit == "ms" else 1
        ratio_of = ratio_of if ratio_of is not None else value / floor if floor else None
        ratio = f"{ratio_of:.2f}×" if ratio_of is not None else "—"
        lines.append((what, f"{value * scale:.1f} {unit}",
                      f"{floor * scale:.1f} {unit}" if floor else "—", ratio, target))
        print(" | ".join(lines[-1]), file=sys.stderr)

    # Byte-compiled first, as `pip install` leaves the package: with PYTHONDONTWRITEBYTECODE
    # set (it is on this machine) every start would compile crm_tui from source again.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "crm_tui")],
                   check=True)
    bare_frame, crm_frame, frame_ratio, first_data = cold_starts(str(db))
    add("cold start: first frame", crm_frame, bare_frame, "ms", "≤ 1.2× floor", frame_ratio)
    add("cold start: first data", first_data, None, "ms", "≤ 1000 ms")
    # What the user runs: the installed command in a real terminal, to its section bar.
    sys.path.insert(0, str(HERE))
    import terminal_start  # type: ignore[import-not-found]

    command = terminal_start.measure(str(db))
    add("`crm` in tmux: first screen", command["crm"], command["bare"], "ms", "≤ 1.2× floor",
        command["ratio"])
    # The same first frame in instructions executed (valgrind): steady on a busy machine.
    import first_frame_instructions  # type: ignore[import-not-found]

    counted = first_frame_instructions.measure(str(db))
    for language in ("en", "ru") if counted else ():
        crm_count, bare_count = counted[f"crm {language}"], counted["bare"]
        lines.append((f"cold start: first frame, instructions ({language})",
                      f"{crm_count / 1e6:,.0f} M", f"{bare_count / 1e6:,.0f} M",
                      f"{counted[f'ratio {language}']:.2f}×", "≤ 1.2× floor"))
        print(" | ".join(lines[-1]), file=sys.stderr)
    version = median_of_times([shutil.which("crm") or "crm", "--version"])
    argparse_floor = median_of_times([sys.executable, "-c", "import argparse"])
    add("`crm --version`", version, argparse_floor, "ms", "≤ 3× floor")

    # Opening a section is measured once per session: the median of three sessions (and of
    # three floors) keeps one slow moment from deciding a figure. Memory: the highest peak.
    floor_keys = median_of([probe("floor-keys") for _ in range(ROUNDS)])
    sessions = [probe("interactive", str(db)) for _ in range(ROUNDS)]
    session = median_of(sessions)
    session["peak_rss_mb"] = max(run["peak_rss_mb"] for run in sessions)
    for section, seconds in session["open"].items():
        add(f"open section: {section}", seconds, None, "ms", "≤ 100 ms")
    for section, measured in session["keys"].items():
        for key in ("down", "pagedown"):
            for stat in ("p50", "p95"):
                target = "≤ 1.2× floor" if stat == "p50" else "≤ 33 ms"
                add(f"{section}: {key} ×100 {stat}", measured[key][stat], floor_keys[key][stat],
                    "ms", target)
    # What a slow SSH link carries: bytes the app writes to its terminal per Down key.
    import terminal_bytes  # type: ignore[import-not-found]

    written = terminal_bytes.measure(str(db))
    floor_bytes = written.pop("floor: DataTable")
    for place, size in written.items():
        target = "0 B" if place.startswith("idle") else "≤ 1.5× floor"
        lines.append((f"bytes to the terminal: {place}" + ("" if place.startswith("idle")
                                                             else ", one cursor key"),
                      f"{size:.0f} B", "—" if place.startswith("idle") else f"{floor_bytes:.0f} B",
                      "—" if place.startswith("idle") else f"{size / floor_bytes:.2f}×", target))
        print(" | ".join(lines[-1]), file=sys.stderr)
    if session.get("search"):
        for stat in ("p50", "p95"):
            add(f"partner search: key to results {stat}", session["search"]["results"][stat],
                None, "ms", "≤ 20 ms")
        for stat in ("p50", "p95"):
            add(f"partner search: key to last frame {stat} (exact count of > 5,000 later)",
                session["search"]["complete"][stat], None, "ms", "—")
    for typed, seconds, floor in search_queries(db):
        add(f"partner search query «{typed}» (page + count)", seconds, floor, "ms", "≤ 2 ms")
    for name, seconds, floor, read in reports(db):
        if read:
            add(f"report {name}", seconds, floor, "ms", "≤ 1.5× floor")
        else:  # the demo set has no demand lines: nothing to replay, no floor
            add(f"report {name} (no rows in this data set)", seconds, None, "ms", "—")
    import cli_reports  # type: ignore[import-not-found]

    for name, timed in cli_reports.measure(db).items():
        add(f"`crm report {name} --format json` (whole process)", timed["crm"], timed["bare"],
            "ms", "≤ 1.5× floor", timed["ratio"])
    if not args.skip_import:
        result = import_rate(args.rounds)
        add(f"import of {result['records']:.0f} records", result["crm import wall s"],
            result["floor wall s"], "s", "≤ 3× minimal loader")
    lines.append(("peak memory (RSS), every section visited", f"{session['peak_rss_mb']:.0f} MB",
                  "—", "—", "≤ 100 MB"))

    header = ("measure", "crm-tui", "floor", "ratio", "target")
    table = [header, tuple("---" for _ in header), *lines]
    markdown = "\n".join("| " + " | ".join(row) + " |" for row in table)
    print(markdown)
    if args.write:
        machine = (f"{platform.machine()}, {os.cpu_count()} cores, "
                   f"Python {platform.python_version()}")
        sqlite_version = sqlite3.sqlite_version
        target = Path(args.write)
        # Hand-written notes below the marker survive a new run.
        notes = ""
        if target.exists() and NOTES_MARKER in target.read_text(encoding="utf-8"):
            notes = target.read_text(encoding="utf-8").split(NOTES_MARKER, 1)[1]
        target.write_text(
            f"# Benchmarks\n\nMeasured {date.today().isoformat()} on {machine}, SQLite "
            f"{sqlite_version}, database `{args.size}` (`crm demo --size {args.size}`), with "
            f"`python benchmarks/run.py --size {args.size}`.\n\n{markdown}\n\n"
            f"{NOTES_MARKER}{notes}",
            encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
