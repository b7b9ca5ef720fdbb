"""The schema revisions this crm-tui knows, read from the migration files' text: without
Alembic or SQLAlchemy, so that `crm report` on SQLite checks a database's schema at no
import cost (store/sqlite_read.py) as store/migrate.py does for everything else."""

from __future__ import annotations

import re
from pathlib import Path

VERSIONS_DIR = Path(__file__).parent / "migrations" / "versions"
_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w-]+|None)['\"]?", re.M)


def scan_revisions(versions: Path = VERSIONS_DIR) -> tuple[set[str], set[str]]:
    """(revisions, parents) read from the version files in `versions`."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions.glob("*.py"):
        text_ = path.read_text(encoding="utf-8")
        found = dict((key, value) for key, value in _REVISION_LINE.findall(text_))
        if "revision" in found:
            revisions.add(found["revision"])
            parents.add(found.get("down_revision", "None"))
    return revisions, parents


def head_of(revisions: set[str], parents: set[str]) -> str | None:
    """The one head revision; None when the files do not give exactly one."""
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None
