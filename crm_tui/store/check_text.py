"""`crm check`: stored text holding control characters.

The app and `crm import` refuse control characters, but a colleague with a SQLite shell on a
shared file can store anything. Such text would be refused by `crm import` when an export is
moved back in, so `crm check` names every record and field holding it, and says how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, Text, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

from crm_tui.i18n import _

if TYPE_CHECKING:
    from crm_tui.store.maintenance import Problem

# Internal tables, not user text (the change history keeps what it was given).
SKIPPED = frozenset(("change_log", "setting", "key_sequence", "alembic_version"))
# The long texts, where a line feed is allowed (as in the exchange format).
MULTILINE = frozenset(("comment", "description", "resolution", "text", "notes"))
# What names a record in a message: its exchange key, else its code or login, else its id.
_NAMING = ("key", "code", "login")
_SAMPLE = 20
_C0 = "".join(chr(c) for c in range(1, 0x20) if c not in (0x09, 0x0A))
_OTHERS = "\x7f" + "".join(chr(c) for c in range(0x80, 0xA0))


def _pattern(dialect: str, multiline: bool) -> tuple[str, str]:
    """An SQL operator and a pattern matching text with a forbidden character."""
    characters = _C0 + _OTHERS + ("" if multiline else "\n")
    if dialect == "sqlite":
        return "GLOB", f"*[{characters}]*"
    return "~", f"[{characters}]"


def _text_columns() -> Iterator[tuple[str, str, str]]:
    """(table, naming column, text column) for every user text column."""
    import crm_tui.store.models  # the tables must be registered
    import crm_tui.store.models_interactions  # noqa: F401

    for table in SQLModel.metadata.sorted_tables:
        if table.name in SKIPPED:
            continue
        naming = next((name for name in _NAMING if name in table.c), "id")
        for column in table.columns:
            if isinstance(column.type, (String, Text, AutoString)):
                yield table.name, naming, column.name


def control_characters(connection: Connection) -> Iterator[Problem]:
    """One problem per table and field holding text with control characters."""
    from crm_tui.store.maintenance import Problem

    dialect = connection.dialect.name
    for table, naming, column in _text_columns():
        operator, pattern = _pattern(dialect, column in MULTILINE)
        rows: list[Any] = list(connection.execute(text(
            f"SELECT {naming} FROM {table} WHERE {column} {operator} :pattern "
            f"ORDER BY {naming} LIMIT {_SAMPLE + 1}"), {"pattern": pattern}))
        if not rows:
            continue
        names = ", ".join(str(row[0]) for row in rows[:_SAMPLE])
        if len(rows) > _SAMPLE:
            names += " …"
        yield Problem("text", _(
            "{table}.{field} holds control characters in {records}: correct the text in the "
            "app (crm import refuses it, so an export of this database does not import until "
            "then)").format(table=table, field=column, records=names))
