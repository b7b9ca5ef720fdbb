"""The Database facade the rest of the app holds: one engine, read and write sessions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection, Engine

from crm_tui.store.engine import make_engine, read_connection, read_session, write_session
from crm_tui.store.migrate import ensure_schema

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
    def open(cls, url: str) -> Database:
        """Open `url`, creating or upgrading the schema to the head revision."""
        engine = make_engine(url)
        created = ensure_schema(engine)
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
