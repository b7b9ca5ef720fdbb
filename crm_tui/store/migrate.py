"""Schema upgrades with Alembic.

Opening a database upgrades it to the head revision. Before upgrading an existing SQLite
database we take a consistent backup beside it (maintenance.backup), and the whole upgrade runs
in one transaction, so a failed upgrade leaves the database as it was. SQLite batch
migrations rebuild tables; foreign keys are switched off outside the transaction for that
(with them on, rebuilding a parent table deletes its ON DELETE CASCADE children) and
checked with `PRAGMA foreign_key_check` before the commit.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from crm_tui.domain import clock
from crm_tui.i18n import _
from crm_tui.store.open_errors import DatabaseUnusable, NewerDatabaseError
from crm_tui.store.revisions import head_of, scan_revisions

if TYPE_CHECKING:
    from alembic.config import Config
from crm_tui.store.engine import sqlite_path

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class UpgradeError(RuntimeError):
    """The upgrade failed; the database was left as it was."""


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {heads}")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def has_user_tables(engine: Engine) -> bool:
    return bool(set(inspect(engine).get_table_names()) - {"alembic_version"})


def backup_before_upgrade(engine: Engine, revision: str | None) -> Path | None:
    """A consistent copy of the SQLite file next to it, named after the old revision."""
    path = sqlite_path(str(engine.url))
    if path is None:
        return None
    from crm_tui.store.maintenance import backup

    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    target = Path(f"{path}.before-{revision or 'unversioned'}-{stamp}.bak")
    # maintenance.backup copies on the raw driver connection, from a read transaction of
    # its own, outside the BEGIN the engine hooks would emit.
    return backup(engine, target, overwrite=True)


def _set_foreign_keys(connection: Connection, on: bool) -> None:
    """Switch SQLite foreign keys outside any transaction (inside one the pragma is ignored)."""
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to `revision` in one transaction."""
    from alembic import command

    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            _set_foreign_keys(connection, on=False)
        try:
            connection = connection.execution_options(crm_write=True)
            with connection.begin():
                command.upgrade(alembic_config(connection), revision)
                if sqlite:
                    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if problems:
                        raise UpgradeError(
                            f"foreign key check failed after upgrade: {problems[:5]}")
        except UpgradeError:
            raise
        except Exception as error:  # rolled back above: report it as a failed upgrade
            raise UpgradeError(str(getattr(error, "orig", None) or error)) from error
        finally:
            if sqlite:
                _set_foreign_keys(connection, on=True)


def _scan() -> tuple[set[str], set[str]]:
    """(revisions, parents) read from the version files' text, without importing Alembic
    (which costs start-up time)."""
    return scan_revisions(MIGRATIONS_DIR / "versions")


def scanned_head() -> str | None:
    """The head revision read from the version files' text; None when the files do not
    give exactly one head."""
    return head_of(*_scan())


def known_revisions() -> set[str]:
    """Every revision this crm-tui knows (its migrations)."""
    return _scan()[0]


def refuse_unknown(revision: str | None) -> None:
    """A revision this crm-tui does not know was written by a newer one: refuse before
    anything is written (no upgrade, no backup copy)."""
    if revision is not None and revision not in known_revisions():
        raise NewerDatabaseError(revision)


def check_current(engine: Engine) -> None:
    """For commands that only read: the schema must be this crm-tui's, as it is; they
    never create or upgrade it (DatabaseUnusable says which command does)."""
    revision = stored_revision(engine)
    if revision is None:
        if has_user_tables(engine):
            raise DatabaseUnusable(_("the database {path} has no schema version; upgrade it "
                                     "with: crm db upgrade").format(path=_label(engine)))
        raise DatabaseUnusable(_("{path} is an empty database, not a crm-tui one yet; create "
                                 "it with crm or crm import").format(path=_label(engine)))
    refuse_unknown(revision)
    if revision != scanned_head():
        raise DatabaseUnusable(_("the database {path} has an older schema (revision {revision}); "
                                 "upgrade it with: crm db upgrade (a backup is made first)")
                               .format(path=_label(engine), revision=revision))


def _label(engine: Engine) -> str:
    from crm_tui.config import describe_url

    return describe_url(engine.url.render_as_string(hide_password=True))


def stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database (plain SQL; None for a new database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def ensure_schema(engine: Engine) -> bool:
    """Bring the schema to the head revision; True when the database was created just now."""
    fast_head = scanned_head()
    if fast_head is not None and stored_revision(engine) == fast_head:
        return False  # the usual case: up to date, decided without importing Alembic
    current = current_revision(engine)
    refuse_unknown(current)
    head = head_revision()
    if current == head:
        return False
    created = current is None and not has_user_tables(engine)
    if not created:
        backup_before_upgrade(engine, current)
    upgrade(engine)
    return created
