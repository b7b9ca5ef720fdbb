"""PostgreSQL fixtures (also usable as a plugin: `pytest -p tests.pg.conftest`).

The server is named by the environment variable CRM_TEST_PG_URL, e.g.
`postgresql+psycopg://crm:crm@127.0.0.1:5432/crm_test` (a role allowed to create
databases). Without it the PostgreSQL tests skip with a reason; with CRM_TEST_PG_REQUIRED=1
(set by CI) a missing or unreachable server fails them instead, so CI can never pass by
skipping. Under pytest-xdist every worker gets a database of its own (`crm_test_gw0`, …)
created on first use; each test starts from an empty `public` schema."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url

from crm_tui.store.database import Database

PG_URL_VARIABLE = "CRM_TEST_PG_URL"
REQUIRED_VARIABLE = "CRM_TEST_PG_REQUIRED"


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRED_VARIABLE) == "1":
        pytest.fail(f"{reason} (and {REQUIRED_VARIABLE}=1: PostgreSQL tests must run)")
    pytest.skip(reason)


def _worker_url(base: str, worker: str) -> str:
    """The URL of this xdist worker's own database, created if missing."""
    url = make_url(base)
    if worker in ("", "master"):
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                _fast_commits(connection, str(url.database))
        finally:
            admin.dispose()
        return base
    name = f"{url.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if exists is None:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
            _fast_commits(connection, name)
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _fast_commits(connection: Connection, name: str) -> None:
    """Commits without waiting for the disk flush: a test database needs no durability
    across a server crash, and locking and visibility are unchanged."""
    connection.exec_driver_sql(f'ALTER DATABASE "{name}" SET synchronous_commit = off')


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The URL of an empty-able PostgreSQL database for this test process."""
    base = os.environ.get(PG_URL_VARIABLE)
    if not base:
        _unavailable(f"{PG_URL_VARIABLE} is not set: no PostgreSQL server to test against")
    assert base is not None
    try:
        return _worker_url(base, os.environ.get("PYTEST_XDIST_WORKER", ""))
    except Exception as error:  # an unreachable server, a wrong password, ...
        _unavailable(f"PostgreSQL at {PG_URL_VARIABLE} is not reachable: {error}")
        raise


def reset_schema(url: str) -> None:
    """Drop everything in the public schema (tables, sequences, extensions' objects)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
            connection.exec_driver_sql("GRANT ALL ON SCHEMA public TO public")
    finally:
        engine.dispose()


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    """A fresh, migrated, empty PostgreSQL database."""
    reset_schema(pg_url)
    database = Database.open(pg_url)
    yield database
    database.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest) -> Database:
    """A fresh migrated database on each backend in turn (PostgreSQL skips without a server)."""
    fixture = "db" if request.param == "sqlite" else "pg_db"
    database: Database = request.getfixturevalue(fixture)
    return database
