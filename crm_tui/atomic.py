"""Files written whole or not at all.

Everything the app writes for the user (exports, reports, calendars, backups) goes first
to a temporary file beside the target, which is flushed to disk and renamed over the target
only when complete. A failure part-way (disk full, an error, Ctrl+C, a kill) leaves the
old file exactly as it was; a killed process may leave a hidden `.NAME.*.partial` file,
never a short NAME. The rename is atomic because both names are in the same folder."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


def partial_path(target: Path) -> Path:
    """A fresh hidden name beside `target` for the file being written."""
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.partial")


@contextmanager
def replacing(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a path to write the new content to; on success it replaces `target`.

    The temporary file exists (empty, with the permissions a new file gets from the umask,
    or those of the file it replaces) when the block starts; a writer may reopen or
    rewrite it by name. On any exception, KeyboardInterrupt included, it is removed and
    the exception goes on."""
    destination = Path(target)
    temporary = partial_path(destination)
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    os.close(handle)
    try:
        if destination.exists():
            os.chmod(temporary, destination.stat().st_mode & 0o7777)
        yield temporary
        with open(temporary, "rb+") as written:  # on disk before the name points at it
            os.fsync(written.fileno())
        os.replace(temporary, destination)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def text_writer(target: str | os.PathLike[str], newline: str | None = None) -> Iterator[TextIO]:
    """A UTF-8 text file handle whose content replaces `target` when the block ends
    without an exception (see `replacing`)."""
    with replacing(target) as temporary, open(temporary, "w", encoding="utf-8",
                                              newline=newline) as handle:
        yield handle
