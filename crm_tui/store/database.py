"""The Database facade the rest of the app holds: one engine, read and write sessions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection, Engine

from crm_tui.store.engine import make_engine, read_connection, read_session, write_session
from crm_tui.store.migrate import check_current, ensure_schema
from crm_tui.store.open_errors import explain, precheck

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass
class Database:
    """An open, upgraded database.

    `created` tells whether this open created the schema (a brand-new database)."""

    url: str
    engine: Engine = field(repr=False)
    created: bool = False

    @classmethod
    def open(cls, url: str, *, read_only: bool = False) -> Database:
        """Open `url`, creating or upgrading the schema to the head revision.

        `read_only`: the database must exist with this crm-tui's schema; nothing is created,
        upgraded or written. Any reason the database cannot be used is DatabaseUnusable
        with a message for the user (open_errors)."""
        precheck(url, must_exist=read_only)
        engine: Engine | None = None
        try:
            engine = make_engine(url, read_only=read_only)
            if read_only:
                check_current(engine)
                created = False
            else:
                created = ensure_schema(engine)
        except Exception as error:
            if engine is not None:
                engine.dispose()
            explained = explain(error, url)
            if explained is None or explained is error:
                raise
            raise explained from error
        return cls(url=url, engine=engine, created=created)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading (never takes the write lock)."""
        with read_session(self.engine) as session:
            yield session

    @contextmanager
    def read_plain(self) -> Iterator[Connection]:
        """A connection for reading plain SQL without the ORM (which the app imports only
        after its first data)."""
        with read_connection(self.engine) as connection:
            yield connection

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session for one short write transaction; commits at the end of the block."""
        with write_session(self.engine) as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
