"""Every report from the command line, the whole process, against a bare script (issue 24 §4).

    python benchmarks/cli_reports.py DB [ROUNDS]

For each report of the catalog, times `crm report NAME --db DB --format json` from spawn to
exit, against a bare script — python + sqlite3 + json, nothing else imported — that runs the
very SQL statements the report runs (captured once, in this process, with their parameters)
and prints their rows as JSON of the same shape (`{"report", "params", "rows", "totals"}`,
indent 1, UTF-8). The two are started in pairs (bare, then crm) and the figure is the median
of the pairs' ratios: this machine's speed drifts by 1.5-2x over minutes, so that two
medians taken apart, or the best of a few runs, were decided by when each run happened
(benchmarks/run.py: cold_starts). Reports taking "now" get a fixed --now, so that the
captured SQL is the one the command runs. Beside the wall clock, the CPU time (user +
system) of each process is taken too: on a machine shared with other work it moves less.
Prints one JSON object: {report: {"crm": s, "bare": s, "ratio": x, "crm_cpu": s,
"bare_cpu": s, "cpu_ratio": x}}.
"""

from __future__ import annotations

import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

NOW = "2026-12-03T12:00"
BARE_SCRIPT = '''import json, sqlite3, sys
connection = sqlite3.connect({uri!r}, uri=True)
statements = {statements!r}
rows = []
for sql, parameters in statements:
    cursor = connection.execute(sql, parameters)
    fields = [column[0] for column in cursor.description]
    rows.extend(dict(zip(fields, row)) for row in cursor.fetchall())
document = {{"report": {name!r}, "params": {params!r}, "rows": rows,
            "totals": {{"count": len(rows)}}}}
sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=1, default=str) + "\\n")
'''


def capture(db: Path) -> dict[str, list[tuple[str, Any]]]:
    """Report name -> the SELECT statements (and their parameters) computing it on `db`."""
    from sqlalchemy import event

    from crm_tui.reports.base import ReportParams
    from crm_tui.reports.catalog import REPORTS
    from crm_tui.reports.registry import compute
    from crm_tui.store.database import Database

    database = Database.open(f"sqlite:///{db}", read_only=True)
    statements: dict[str, list[tuple[str, Any]]] = {}
    try:
        for spec in REPORTS:
            seen: list[tuple[str, Any]] = []

            def keep(_conn: Any, _cursor: Any, sql: str, parameters: Any, *_: Any,
                     seen: list[tuple[str, Any]] = seen) -> None:
                if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    seen.append((sql, tuple(parameters)))

            now = datetime.fromisoformat(NOW) if "now" in spec.filters else None
            event.listen(database.engine, "before_cursor_execute", keep)
            try:
                compute(database, spec.name, ReportParams(now=now))
            finally:
                event.remove(database.engine, "before_cursor_execute", keep)
            statements[spec.name] = seen
    finally:
        database.close()
    return statements


def _run(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of running `command` to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(db: Path, rounds: int = 7) -> dict[str, dict[str, float]]:
    """{report: {"crm", "bare" (median seconds), "ratio" (median of pair ratios)}}."""
    from crm_tui.reports.catalog import REPORTS

    crm = shutil.which("crm")
    if crm is None:
        raise SystemExit("needs the installed crm command")
    folder = Path(tempfile.mkdtemp(prefix="crm-cli-reports-"))
    results: dict[str, dict[str, float]] = {}
    try:
        uri = f"file:{db.resolve()}?mode=ro"
        for name, statements in capture(db).items():
            spec = next(spec for spec in REPORTS if spec.name == name)
            params = {key: (NOW if key == "now" else None) for key in spec.filters}
            script = folder / f"{name}.py"
            script.write_text(BARE_SCRIPT.format(uri=uri, statements=statements, name=name,
                                                 params=params), encoding="utf-8")
            command = [crm, "report", name, "--db", str(db), "--format", "json", "--lang", "en"]
            if "now" in spec.filters:
                command += ["--now", NOW]
            bare_command = [sys.executable, str(script)]
            _run(bare_command), _run(command)  # warm the file cache for both
            pairs = [(_run(bare_command), _run(command)) for _ in range(rounds)]
            results[name] = {
                "crm": statistics.median(crm_s[0] for _bare, crm_s in pairs),
                "bare": statistics.median(bare[0] for bare, _crm in pairs),
                "ratio": statistics.median(crm_s[0] / bare[0] for bare, crm_s in pairs),
                "crm_cpu": statistics.median(crm_s[1] for _bare, crm_s in pairs),
                "bare_cpu": statistics.median(bare[1] for bare, _crm in pairs),
                "cpu_ratio": statistics.median(crm_s[1] / bare[1] for bare, crm_s in pairs),
            }
            print(f"{name}: {results[name]}", file=sys.stderr)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return results


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if not arguments:
        raise SystemExit(__doc__)
    # Byte-compiled first, as `pip install` leaves the package (run.py does the same): with
    # PYTHONDONTWRITEBYTECODE set every crm start would compile what changed from source.
    subprocess.run([sys.executable, "-m", "compileall", "-q",
                    str(Path(__file__).resolve().parent.parent / "crm_tui")], check=True)
    print(json.dumps(measure(Path(arguments[0]), *(int(a) for a in arguments[1:2]))))
