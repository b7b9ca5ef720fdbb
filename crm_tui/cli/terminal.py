"""Everything a subcommand prints goes through `escape_controls`.

Messages echo values from import files and text from a database that any member of the
office group can write to; an escape sequence in either (a window title, a screen clear, an
OSC 52 clipboard write) must be shown, not obeyed by the user's terminal. Wrapping stdout and
stderr once covers every command, `fail()` and argparse's own errors alike."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from crm_tui.domain.text import escape_controls


class EscapingWriter:
    """A text stream writing to `stream` with control characters escaped (anything else,
    such as `encoding` or `buffer`, is the stream's own)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(escape_controls(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def raw(stream: TextIO) -> TextIO:
    """The stream under an EscapingWriter: for Rich, whose own styling codes must pass (it is
    given text already escaped)."""
    return stream.stream if isinstance(stream, EscapingWriter) else stream


@contextmanager
def escaped_output() -> Iterator[None]:
    """Escape control characters in everything written to stdout and stderr meanwhile."""
    saved = sys.stdout, sys.stderr
    sys.stdout = EscapingWriter(saved[0])  # type: ignore[assignment]
    sys.stderr = EscapingWriter(saved[1])  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
