"""Progress of a long command (import, export, demo data, backup) on stderr, when it is a
terminal.

`progress(description, total)` gives a `report(records, done)` function to call now and
then: records handled so far and how much of `total` is done (bytes of a file; None when
the total is unknown). On a terminal a rich.progress line shows the records (or the pages,
for a backup), their rate and the time left, and disappears at the end; when stderr is not
a terminal (a pipe, a file, cron) it gives None and nothing is written: the output stays as
it was.

`busy(description)` is for work that cannot count its steps (a report's one query): on a
terminal, once the work has taken BUSY_AFTER seconds, a line with a spinner and the time
taken shows until it ends. A quick report imports nothing for it and draws nothing."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

from crm_tui.i18n import _

Report = Callable[[int, int], None]
# Seconds a report runs before busy() shows it is still working: most reports end sooner,
# and a line flashing on and off would only distract.
BUSY_AFTER = 0.5


def _counted(unit: Literal["records", "pages"], count: str, rate: str) -> str:
    if unit == "pages":
        return _("{pages} pages, {rate} per second").format(pages=count, rate=rate)
    return _("{records} records, {rate} per second").format(records=count, rate=rate)


def _grouped(number: float) -> str:
    return f"{number:,.0f}".replace(",", " ")


@contextmanager
def progress(description: str, total: int | None = None,
             unit: Literal["records", "pages"] = "records") -> Iterator[Report | None]:
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
            bar.update(task, completed=done, records=_counted(unit, _grouped(records),
                                                                _grouped(rate)))

        yield report


@contextmanager
def busy(description: str) -> Iterator[None]:
    """A spinner and the time taken on stderr while the block runs, if it runs longer than
    BUSY_AFTER seconds and stderr is a terminal; transient: it leaves nothing behind."""
    if not sys.stderr.isatty():
        yield
        return
    import threading  # only for the spinner: a report piped or redirected does without

    shown: list[Any] = []
    lock = threading.Lock()
    finished = False

    def show() -> None:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        from crm_tui.cli.terminal import raw

        with lock:
            if finished:
                return
            console = Console(file=raw(sys.stderr), stderr=True)
            display = Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False),
                               TimeElapsedColumn(), console=console, transient=True)
            display.add_task(description, total=None)
            display.start()
            shown.append(display)

    timer = threading.Timer(BUSY_AFTER, show)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            finished = True
            for display in shown:
                display.stop()
