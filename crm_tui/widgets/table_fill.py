"""Filling a DataTable so that its columns are as wide as their cells from the first frame.

Textual 8.2.8 sizes an automatic-width column on the table's next idle, and a line drawn
before that idle is cached under the same key as the line drawn after it: when the rows come
from another task (a worker's result, a screen's handler) and the table has a fixed height,
the first frame's columns, as narrow as their headers, stay on the screen ("2026" for a
date, "pet" for "petrova") until something else changes the table. Columns given their
width up front are drawn right the first time (tests/unit/test_tui_compat.py pins the defect).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable


def _width(cell: Text) -> int:
    return max((cell_len(line) for line in cell.plain.splitlines()), default=0)


def fill_table(table: DataTable[Text], labels: Sequence[str],
               rows: Iterable[Sequence[Text]], keys: Sequence[str | None] | None = None) -> None:
    """Replace the table's columns and rows; each column exactly as wide as its widest cell
    or its label. `keys` (one per row, optional) are the rows' keys."""
    body = [list(row) for row in rows]
    widths = [cell_len(label) for label in labels]
    for row in body:
        for index, cell in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _width(cell))
    table.clear(columns=True)
    for label, width in zip(labels, widths, strict=True):
        table.add_column(Text(label), width=width)
    for index, row in enumerate(body):
        table.add_row(*row, key=keys[index] if keys is not None else None)
