"""Writing an import's full chunks on a second thread while the next chunk is validated.

sqlite3 (and psycopg) release the GIL while the database works, so on two cores SQLite's
inserts of one chunk overlap the validation of the next one (issue 24 §2): the wall clock
drops, the CPU time does not. At most one chunk is being written while the next one fills,
so memory stays at two chunks. The connection is used by one thread at a time: handing a
chunk over first waits for the one before, and leaving the block waits for the last one
(also when validation failed or was interrupted), so the caller's rollback or next
statement never runs beside a write.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

from sqlalchemy.engine import Connection

from crm_tui.exchange.writer import Batch

Write = Callable[[Connection, Batch], None]


class ChunkWriter:
    """`hand_over` a full batch to be written in the background; `wait` for it to end."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._executor = ThreadPoolExecutor(max_workers=1,
                                            thread_name_prefix="crm-import-writer")
        self._pending: Future[None] | None = None

    def hand_over(self, write: Write, batch: Batch) -> None:
        """Write `batch` (no longer touched by the caller) once the previous one is written;
        an error of the previous write is raised here."""
        self.wait()
        self._pending = self._executor.submit(write, self._connection, batch)

    def wait(self) -> None:
        """Wait until the batch handed over last is written; raise its error if it failed."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def __enter__(self) -> ChunkWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        # Always waits for a write under way: the transaction is rolled back (or goes on)
        # only once no other thread uses the connection. The error of a write is raised
        # unless another error is already on its way.
        try:
            if kind is None:
                self.wait()
        finally:
            self._executor.shutdown(wait=True)
