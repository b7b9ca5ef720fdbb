"""Backups and checks of a whole database.

`backup(engine, target)` makes a consistent copy while other sessions keep writing
(SQLite's online backup, in steps, from one read transaction; written beside the target and
renamed into place; never a file copy, which could catch a half-written page or miss the
WAL). `check(engine)` runs SQLite's
`integrity_check` and `foreign_key_check` and then the app's own invariants, returning
every problem found (an empty list means the database is sound).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from crm_tui.atomic import replacing
from crm_tui.i18n import _
from crm_tui.store.check_text import control_characters
from crm_tui.store.engine import sqlite_path
from crm_tui.store.search_index import UNLABELLED

# Tables whose records carry an exchange key (unique, never empty).
KEYED_TABLES: tuple[str, ...] = (
    "partner", "counterparty", "contact", "agreement", "deal", "claim", "interaction",
)
# Tables whose rows carry an optimistic-locking version.
VERSIONED_TABLES: tuple[str, ...] = KEYED_TABLES
_SAMPLE = 20  # at most this many offending keys are named per invariant
BACKUP_STEP_PAGES = 1024  # pages copied per step of a backup (4 MiB at the default size)
# Told (pages copied, pages in all) after each step of a backup.
BackupProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the database: which check found it and what it is."""

    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.message}"


class BackupError(RuntimeError):
    """The backup could not be made; its message is fit for the user."""


# ------------------------------------------------------------------ backups
def backup(engine: Engine, target: str | os.PathLike[str], overwrite: bool = False,
           progress: BackupProgress | None = None) -> Path:
    """Write a consistent copy of the SQLite database behind `engine` to `target`.

    The copy is made with SQLite's online backup API, BACKUP_STEP_PAGES pages a step (so
    `progress` hears after each step how far it got), into a temporary file beside `target`,
    which is then renamed into place, so `target` is either the complete copy or untouched.
    The source connection holds one read transaction across all steps: every step reads the
    same snapshot (the last commit when the backup began) while writers go on in the WAL;
    without it each step would start a new read and a write in between would restart the
    copy from the first page, which under steady writes might never end."""
    if engine.dialect.name != "sqlite":
        raise BackupError(_("only SQLite databases can be backed up by the app; "
                            "use your database server's own tools"))
    destination = Path(target).expanduser().resolve()
    source = sqlite_path(str(engine.url))
    if source is not None and Path(source).resolve() == destination:
        raise BackupError(_("the backup file must not be the database itself"))
    if destination.exists() and not overwrite:
        raise BackupError(_("{path} already exists").format(path=destination))
    if not destination.parent.is_dir():
        raise BackupError(_("folder {path} does not exist").format(path=destination.parent))
    raw = engine.raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    try:
        # The driver runs in autocommit mode (see store.engine): this BEGIN and the read
        # after it open the snapshot the steps copy from; the rollback below ends it.
        driver.execute("BEGIN")
        driver.execute("SELECT count(*) FROM sqlite_master").fetchone()
        with replacing(destination) as partial:
            copy = sqlite3.connect(partial)
            try:
                def step(_status: int, remaining: int, total: int) -> None:
                    if progress is not None:
                        progress(total - remaining, total)

                driver.backup(copy, pages=BACKUP_STEP_PAGES, progress=step)
            finally:
                copy.close()
            if source is not None and os.path.exists(source):
                # A backup of a shared database stays shared with the group.
                os.chmod(partial, os.stat(source).st_mode & 0o666)
    except Exception as error:
        if isinstance(error, BackupError):
            raise
        raise BackupError(_("backup failed: {error}").format(error=error)) from error
    finally:
        if driver.in_transaction:
            driver.execute("ROLLBACK")
        raw.close()
    return destination


# ------------------------------------------------------------------- checks
def _rows(connection: Connection, sql: str, **params: Any) -> list[Any]:
    return list(connection.execute(text(sql), params).fetchall())


def _keys(rows: list[Any]) -> str:
    names = ", ".join(str(row[0]) for row in rows[:_SAMPLE])
    return names + (" …" if len(rows) > _SAMPLE else "")


def _integrity(connection: Connection) -> Iterator[Problem]:
    for (line,) in _rows(connection, "PRAGMA integrity_check"):
        if line != "ok":
            yield Problem("integrity", str(line))


def _foreign_keys(connection: Connection) -> Iterator[Problem]:
    for table, rowid, parent, _index in _rows(connection, "PRAGMA foreign_key_check"):
        yield Problem("foreign-key", _("{table} row {rowid} refers to a missing {parent} row")
                      .format(table=table, rowid=rowid, parent=parent))


def _keys_valid(connection: Connection) -> Iterator[Problem]:
    for table in KEYED_TABLES:
        empty = _rows(connection, f"SELECT id FROM {table} WHERE key IS NULL OR trim(key) = ''")
        if empty:
            yield Problem("keys", _("{table}: records without a key (id {ids})")
                          .format(table=table, ids=_keys(empty)))
        duplicates = _rows(connection, f"SELECT key FROM {table} GROUP BY key HAVING count(*) > 1")
        if duplicates:
            yield Problem("keys", _("{table}: duplicate keys {keys}")
                          .format(table=table, keys=_keys(duplicates)))
    for table in VERSIONED_TABLES:
        bad = _rows(connection, f"SELECT key FROM {table} WHERE version IS NULL OR version < 1")
        if bad:
            yield Problem("versions", _("{table}: invalid version in {keys}")
                          .format(table=table, keys=_keys(bad)))


_LATEST_STAGE = """
SELECT d.key FROM deal AS d
LEFT JOIN deal_stage_entry AS e
  ON e.deal_id = d.id AND e.seq = (SELECT max(seq) FROM deal_stage_entry WHERE deal_id = d.id)
WHERE (e.id IS NULL AND (d.stage_id IS NOT NULL OR d.stage_at IS NOT NULL))
   OR (e.id IS NOT NULL AND (d.stage_id IS NULL OR d.stage_at IS NULL
                             OR d.stage_id <> e.stage_id OR d.stage_at <> e.at))
"""


def _deals(connection: Connection) -> Iterator[Problem]:
    stale = _rows(connection, _LATEST_STAGE)
    if stale:
        yield Problem("deals", _("the current stage differs from the latest stage history "
                                 "entry: {keys}").format(keys=_keys(stale)))
    closed = _rows(connection, "SELECT key FROM deal "
                               "WHERE (status IN ('won', 'lost') AND closed_at IS NULL)"
                               " OR (status NOT IN ('won', 'lost') AND closed_at IS NOT NULL)")
    if closed:
        yield Problem("deals", _("a closing date must be set exactly for won and lost deals: "
                                 "{keys}").format(keys=_keys(closed)))
    status = _rows(connection, "SELECT key FROM deal WHERE status NOT IN ('open', 'won', 'lost')")
    if status:
        yield Problem("deals", _("unknown deal status: {keys}").format(keys=_keys(status)))


def _claims(connection: Connection) -> Iterator[Problem]:
    posted = _rows(connection, "SELECT key FROM claim WHERE posted = :yes AND status = 'open'",
                   yes=True)
    if posted:
        yield Problem("claims", _("posted claims that are still open: {keys}")
                      .format(keys=_keys(posted)))
    status = _rows(connection, "SELECT key FROM claim WHERE status NOT IN "
                               "('open', 'satisfied', 'not_satisfied')")
    if status:
        yield Problem("claims", _("unknown claim status: {keys}").format(keys=_keys(status)))


def _agreements(connection: Connection) -> Iterator[Problem]:
    schedules = _rows(connection, "SELECT a.key, sum(p.percent) FROM agreement AS a "
                                  "JOIN agreement_payment AS p ON p.agreement_id = a.id "
                                  "GROUP BY a.id HAVING sum(p.percent) != 100")
    if schedules:
        yield Problem("agreements", _("payment schedules that do not sum to 100%: {keys}")
                      .format(keys=_keys(schedules)))


def _interactions(connection: Connection) -> Iterator[Problem]:
    subjects = _rows(connection, "SELECT key FROM interaction WHERE "
                                 "CASE WHEN subject_deal_id IS NULL THEN 0 ELSE 1 END"
                                 " + CASE WHEN subject_claim_id IS NULL THEN 0 ELSE 1 END"
                                 " + CASE WHEN subject_interaction_id IS NULL THEN 0 ELSE 1 END"
                                 " > 1")
    if subjects:
        yield Problem("interactions", _("interactions with more than one subject: {keys}")
                      .format(keys=_keys(subjects)))


def _attachments(connection: Connection) -> Iterator[Problem]:
    bad: list[tuple[str]] = []
    ids = [row[0] for row in _rows(connection, "SELECT id FROM attachment ORDER BY id")]
    for attachment_id in ids:  # one content at a time: attachments may be large
        row = connection.execute(
            text("SELECT c.key, a.name, a.size, a.sha256, a.content FROM attachment AS a "
                 "JOIN claim AS c ON c.id = a.claim_id WHERE a.id = :id"),
            {"id": attachment_id}).first()
        if row is None:
            continue
        content = bytes(row.content or b"")
        if row.size != len(content) or row.sha256 != hashlib.sha256(content).hexdigest():
            bad.append((f"{row.key}/{row.name}",))
    if bad:
        yield Problem("attachments", _("attachments whose size or checksum does not match "
                                       "their content: {keys}").format(keys=_keys(bad)))


def _differing(connection: Connection, table: str, kept: str, counted: str) -> int:
    """In how many groups a table of counts kept by triggers differs from the rows counted
    (0 when the table does not exist: PostgreSQL, or a database not upgraded yet)."""
    exists = _rows(connection, "SELECT name FROM sqlite_master WHERE type = 'table' "
                               "AND name = :table", table=table)
    if not exists:
        return 0
    return int(_rows(connection, f"SELECT count(*) FROM (SELECT * FROM ({kept} EXCEPT "
                                 f"{counted}) UNION ALL SELECT * FROM ({counted} EXCEPT "
                                 f"{kept}))")[0][0])


def _kept_counts(connection: Connection) -> Iterator[Problem]:
    """The counts kept by triggers (deals board: migration 0006; inbox: 0007) equal the
    rows counted."""
    board = _differing(
        connection, "deal_board_total",
        "SELECT kind_id, status, stage_key, manager_id, deals, amount_minor "
        "FROM deal_board_total WHERE deals != 0 OR amount_minor != 0",
        "SELECT kind_id, status, coalesce(stage_id, 0), manager_id, count(*), "
        "sum(amount_minor) FROM deal GROUP BY kind_id, status, coalesce(stage_id, 0), "
        "manager_id")
    if board:
        yield Problem("deals", _("the deals board's counts and sums differ from the deals in "
                                 "{count} groups").format(count=board))
    inbox = _differing(
        connection, "interaction_total",
        "SELECT status, kind, manager_key, items FROM interaction_total WHERE items != 0",
        "SELECT status, kind, coalesce(manager_id, 0), count(*) FROM interaction "
        "GROUP BY status, kind, coalesce(manager_id, 0)")
    if inbox:
        yield Problem("interactions", _("the inbox's counts differ from the interactions in "
                                        "{count} groups").format(count=inbox))


def _search_labels(connection: Connection) -> Iterator[Problem]:
    """Every partner has one label, labels below UNLABELLED follow the name order, and the
    search index holds one document under each label (migration 0010)."""
    if not _rows(connection, "SELECT name FROM sqlite_master WHERE name = 'partner_label'"):
        return
    wrong = int(_rows(connection, f"""SELECT
      (SELECT count(*) FROM partner p LEFT JOIN partner_label l ON l.partner_id = p.id
       WHERE l.partner_id IS NULL)
      + (SELECT count(*) FROM partner_label l LEFT JOIN partner p ON p.id = l.partner_id
         WHERE p.id IS NULL)
      + (SELECT count(*) FROM (SELECT l.label, lag(l.label) OVER (ORDER BY p.name, p.id)
           AS before FROM partner p JOIN partner_label l ON l.partner_id = p.id
           WHERE l.label < {UNLABELLED}) WHERE before >= label)
      + (SELECT count(*) FROM partner_label l
         WHERE NOT EXISTS (SELECT 1 FROM partner_search s WHERE s.rowid = l.label))
      + abs((SELECT count(*) FROM partner_search) - (SELECT count(*) FROM partner_label))
    """)[0][0])
    if wrong:
        yield Problem("partners", _("the partner search index is out of step with the "
                                    "partners in {count} places").format(count=wrong))


CHECKS: tuple[Callable[[Connection], Iterator[Problem]], ...] = (
    _integrity, _foreign_keys, _keys_valid, _deals, _kept_counts, _search_labels, _claims,
    _agreements, _interactions, _attachments, control_characters,
)
# SQLite's own checks, and the tables its triggers keep (PostgreSQL has neither).
SQLITE_ONLY = (_integrity, _foreign_keys, _kept_counts, _search_labels)


def check(engine: Engine) -> list[Problem]:
    """Every problem found in the database (integrity, foreign keys, the app's invariants).

    Runs in one read transaction, so it sees one consistent snapshot while others write."""
    problems: list[Problem] = []
    with engine.connect() as connection:
        checks = CHECKS if engine.dialect.name == "sqlite" else \
            tuple(run for run in CHECKS if run not in SQLITE_ONLY)
        for run in checks:
            problems.extend(run(connection))
            if problems and problems[-1].check == "integrity":
                break  # a damaged file: the other checks would only add noise
        connection.rollback()
    return problems
