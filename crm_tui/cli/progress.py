"""Progress of a long command (import, export, demo data) on stderr, when it is a terminal.

`progress(description, total)` gives a `report(records, done)` function to call now and
then: records handled so far and how much of `total` is done (bytes of a file; None when
the total is unknown). On a terminal a rich.progress line shows the records, their rate and
the time left, and disappears at the end; when stderr is not a terminal (a pipe, a file,
cron) it gives None and nothing is written: the output stays as it was."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from crm_tui.i18n import _

Report = Callable[[int, int], None]


@contextmanager
def progress(description: str, total: int | None = None) -> Iterator[Report | None]:
    """A progress line on stderr while the block runs (None when stderr is no terminal)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from crm_tui.cli.terminal import raw

    columns = [TextColumn("{task.description}", markup=False), BarColumn(),
               TextColumn("{task.fields[records]}", markup=False)]
    if total is not None:
        columns.append(TimeRemainingColumn())
    console = Console(file=raw(sys.stderr), stderr=True)
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(description, total=total, records="")
        started = time.monotonic()

        def report(records: int, done: int) -> None:
            rate = records / max(time.monotonic() - started, 1e-6)
            bar.update(task, completed=done, records=_(
                "{records} records, {rate} per second").format(
                    records=f"{records:,}".replace(",", " "), rate=f"{rate:,.0f}".replace(
                        ",", " ")))

        yield report
