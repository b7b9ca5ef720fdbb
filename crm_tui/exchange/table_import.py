"""Importing a mapped spreadsheet (partners, contacts or deals) in one transaction.

Every row is checked, its duplicate looked for and its action decided in the same pass that
writes it, a chunk of rows at a time (what the chunk looks up read with one query each, its
new rows written with one `executemany` each: `table_ahead`, `store/bulk_table.py`); from
`BULK_ROWS` rows on, the indexes, kept counts and search index are made once at the end
(`store/bulk_load.py`, as `crm import` does). Rows are read as they come: memory does not
grow with the file; a problem anywhere, or a dry run, rolls everything back, so the preview in the
app, `--dry-run` and the real import tell the same story. A row matching an existing record
whose update would change nothing is `unchanged` whatever was chosen, so importing a file
twice changes nothing the second time."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from crm_tui.domain.errors import DomainError
from crm_tui.i18n import _

ACTIONS = ("update", "skip", "create")
PROBLEMS_KEPT = 1000  # beyond this, only counted: the user fixes the file and runs again
CHUNK_ROWS = 500  # rows looked up and written together
BULK_ROWS = 1000  # from here on, indexes and the search index wait for the end


@dataclass
class RowOutcome:
    """One row as it will be stored: its values, problems, notes and what happens to it."""

    line: int
    shown: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duplicate: str = ""  # the existing record the row matches, as "KEY «name»"
    action: str = ""  # created | updated | unchanged | skipped | "" (a problem)


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    duplicates: int = 0
    problem_count: int = 0
    problems: list[str] = field(default_factory=list)  # "LINE: message"
    notes: list[str] = field(default_factory=list)  # "LINE: note" (repairs, defaults)
    rows: list[RowOutcome] = field(default_factory=list)  # the first `keep_rows`
    written: bool = False

    def add(self, outcome: RowOutcome, keep_rows: int) -> None:
        if outcome.duplicate:
            self.duplicates += 1
        for note in outcome.notes:
            if len(self.notes) < PROBLEMS_KEPT:
                self.notes.append(f"{outcome.line}: {note}")
        for problem in outcome.problems:
            self.problem_count += 1
            if len(self.problems) < PROBLEMS_KEPT:
                self.problems.append(f"{outcome.line}: {problem}")
        if not outcome.problems:
            setattr(self, outcome.action, getattr(self, outcome.action) + 1)
        # The preview shows the first rows, and every row with a problem or a duplicate.
        wanted = len(self.rows) < keep_rows or bool(outcome.problems or outcome.duplicate)
        if keep_rows and wanted and len(self.rows) < PROBLEMS_KEPT:
            self.rows.append(outcome)


class _RollBack(Exception):
    """A problem or a dry run: nothing is kept."""


def run_import(db: Any, target: str, mapping: Sequence[str | None],
               rows: Iterable[tuple[int, list[str]]], *, on_duplicate: str | None = None,
               choices: dict[int, str] | None = None, dry_run: bool = False,
               progress: Callable[[int], None] | None = None,
               keep_rows: int = 0, bulk_rows: int | None = None) -> ImportSummary:
    """Import `rows` (line, cells) with `mapping` (a field or None per column). A duplicate's
    action is `choices[line]`, else `on_duplicate`; with neither, a duplicate that would
    change something is a problem. Written only when no row has a problem and not `dry_run`.
    `progress(rows done)` is called after each chunk."""
    from crm_tui.exchange.table_ahead import read_ahead
    from crm_tui.exchange.table_rows import HANDLERS, Lookups
    from crm_tui.store.bulk_load import deferred
    from crm_tui.store.pg import analyze_after_load

    summary = ImportSummary()
    handler = HANDLERS[target]
    bulk_after = BULK_ROWS if bulk_rows is None else bulk_rows
    count, deferring = 0, False
    try:
        with db.write() as session, ExitStack() as bulk:
            lookups = Lookups.load(session)
            for chunk in _chunks(rows, mapping):
                if count >= bulk_after and not deferring:  # a large file
                    lookups.sync()
                    # Not on PostgreSQL, where partners' tables are deferred too: the
                    # lookups would read partners, contacts and deals without indexes.
                    bulk.enter_context(deferred(session.connection(), count,
                                                on_postgresql=False))
                    deferring = True
                lookups.ahead = read_ahead(session, target, [v for _line, v in chunk])
                for line, values in chunk:
                    choice = (choices or {}).get(line, on_duplicate)
                    outcome = RowOutcome(line)
                    try:
                        handler(session, lookups, values, choice, outcome)
                    except DomainError as error:
                        outcome.problems.append(str(error))
                    summary.add(outcome, keep_rows)
                lookups.flush()
                count += len(chunk)
                if progress is not None:
                    progress(count)
            lookups.sync()
            if summary.problem_count or dry_run:
                raise _RollBack
            if deferring:  # PostgreSQL plans by statistics of the loaded rows (as crm import)
                analyze_after_load(session.connection())
    except _RollBack:
        return summary
    summary.written = True
    return summary


def _chunks(rows: Iterable[tuple[int, list[str]]], mapping: Sequence[str | None]
            ) -> Iterator[list[tuple[int, dict[str, str]]]]:
    """The rows' values by field, CHUNK_ROWS at a time."""
    source = iter(rows)
    while chunk := list(islice(source, CHUNK_ROWS)):
        yield [(line, {name: cells[i].strip() for i, name in enumerate(mapping)
                       if name and i < len(cells)}) for line, cells in chunk]


def describe(summary: ImportSummary) -> str:
    """The counts per action, one line."""
    return _("created: {created}, updated: {updated}, unchanged: {unchanged}, "
             "skipped: {skipped}").format(created=summary.created, updated=summary.updated,
                                          unchanged=summary.unchanged, skipped=summary.skipped)
