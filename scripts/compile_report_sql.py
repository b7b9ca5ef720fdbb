"""Write crm_tui/reports/sqlite_sql/: every report statement compiled for SQLite.

`crm report` on SQLite runs this text on the plain sqlite3 connection instead of importing
SQLAlchemy (crm_tui/reports/queries.py). Run it after changing a report's query:

    python scripts/compile_report_sql.py

tests/unit/reports/test_sqlite_sql.py fails while the file differs from what this writes.
For each report and each shape of its options (which of from/to/manager/region/kind were
given), the statements are built with stand-in values and compiled with named parameters;
the options' bind parameters keep their names (queries.bind_values fills them), the
constants in the SQL are stored beside it, and each result column gets the conversion
SQLAlchemy's SQLite type makes of it (datetime, date, bool)."""

from __future__ import annotations

import sys
from datetime import date, datetime
from importlib import import_module
from itertools import combinations
from pathlib import Path
from typing import Any

from sqlalchemy import types
from sqlalchemy.dialects import sqlite

from crm_tui.reports.base import ReportParams
from crm_tui.reports.catalog import REPORTS, ReportSpec
from crm_tui.reports.queries import SQL_OPTIONS, shape_key

TARGET = Path(__file__).resolve().parent.parent / "crm_tui" / "reports" / "sqlite_sql"
# The bind parameters the options fill at run time (queries.bind_values), and funnel's
# kind_id found by its first query, claim-tasks' today (the day of "now").
OPTION_BINDS = {"period_start", "period_end", "date_from", "date_to", "manager", "region", "today",
                "kind", "kind_id"}
# Two sets of stand-in values: a statement whose text or constants differ between them
# depends on a value, not only on which options were given (refused below).
_STAND_INS = (
    {"date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31), "manager": "m",
     "region": "r", "kind": "k"},
    {"date_from": date(2001, 2, 3), "date_to": date(2002, 3, 4), "manager": "other",
     "region": "other", "kind": "other"},
)
_ATTRIBUTE = {"from": "date_from", "to": "date_to", "manager": "manager", "region": "region",
              "kind": "kind"}
_DIALECT = sqlite.dialect(paramstyle="named")

Compiled = tuple[str, dict[str, Any], tuple[str, ...]]


def _params(shape: tuple[str, ...], values: dict[str, Any]) -> ReportParams:
    given = {_ATTRIBUTE[option]: values[_ATTRIBUTE[option]] for option in shape}
    return ReportParams(**given, now=datetime(2026, 12, 3, 12, 0))


def _conversion(type_: Any) -> str:
    """The name of the queries.CONVERTERS entry doing what SQLAlchemy does to a value of
    `type_` read from SQLite ("" for none)."""
    if isinstance(type_, types.DateTime):
        return "datetime"
    if isinstance(type_, types.Date):
        return "date"
    if isinstance(type_, types.Boolean):
        return "bool"
    if type_.dialect_impl(_DIALECT).result_processor(_DIALECT, None) is not None:
        raise TypeError(f"no conversion for a {type_!r} column: add one to queries.CONVERTERS")
    return ""


def _compile(statement: Any) -> Compiled:
    compiled = statement.compile(dialect=_DIALECT, compile_kwargs={"render_postcompile": True})
    constants = {name: value for name, value in compiled.params.items()
                 if name not in OPTION_BINDS}
    for name, value in constants.items():
        if type(value) not in (str, int):  # their SQLite bind processors change nothing
            raise TypeError(f"constant {name}={value!r}: only str and int are stored as is")
    kinds = tuple(_conversion(column.type) for column in statement.selected_columns)
    return str(compiled), constants, kinds


def compile_report(spec: ReportSpec) -> dict[str, dict[str, Compiled]]:
    """shape key -> statement name -> (SQL, constants, conversions) of one report."""
    module = import_module(f"crm_tui.reports.{spec.module}")
    options = [option for option in SQL_OPTIONS if option in spec.filters]
    shapes = [shape for size in range(len(options) + 1)
              for shape in combinations(options, size)]
    by_shape: dict[str, dict[str, Compiled]] = {}
    for shape in shapes:
        first, second = (
            {name: _compile(statement)
             for name, statement in module.statements("sqlite", _params(shape, values)).items()}
            for values in _STAND_INS)
        if first != second:
            raise ValueError(f"{spec.name} {shape}: the SQL depends on an option's value")
        by_shape[shape_key(frozenset(shape))] = first
    return by_shape


def _text(value: str, indent: str) -> list[str]:
    """`value` as adjacent string literals of lines no longer than 100 characters."""
    pieces: list[str] = []
    for line in value.splitlines(keepends=True):
        while len(repr(line)) > 96 - len(indent):
            cut = line.rfind(" ", 0, 80 - len(indent)) + 1 or 80 - len(indent)
            pieces.append(line[:cut])
            line = line[cut:]
        pieces.append(line)
    return [f"{indent}{piece!r}" for piece in pieces if piece]


def render(spec: ReportSpec) -> str:
    """The text of sqlite_sql/<report module>.py."""
    lines = [
        f'"""Report {spec.name}\'s statements compiled for SQLite: generated by',
        "scripts/compile_report_sql.py from the report's statements(); do not edit. Run that",
        "script after changing the report's query (tests/unit/reports/test_sqlite_sql.py).",
        "",
        "shape (the options given) -> statement -> (SQL with named parameters, its constants,",
        'the conversion of each result column: queries.CONVERTERS)."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Any",
        "",
        "STATEMENTS: dict[str, dict[str, tuple[str, dict[str, Any], tuple[str, ...]]]] = {",
    ]
    for shape, statements in compile_report(spec).items():
        lines.append(f"    {shape!r}: {{")
        for name, (sql, constants, kinds) in statements.items():
            lines.append(f"        {name!r}: (")
            lines.extend(_text(sql, " " * 12))
            lines[-1] += ","
            lines.append("            {")
            lines.extend(f"                {key!r}: {value!r}," for key, value in constants.items())
            lines.append("            },")
            lines.append(f"            {kinds!r},")
            lines.append("        ),")
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines) + "\n"


INIT = ('"""Each report\'s statements compiled for SQLite, one module per report module;\n'
        'generated by scripts/compile_report_sql.py (see crm_tui/reports/queries.py)."""\n')


def expected_files() -> dict[str, str]:
    """File name in sqlite_sql/ -> its text."""
    files = {"__init__.py": INIT}
    for spec in REPORTS:
        files[f"{spec.module}.py"] = render(spec)
    return files


def main() -> int:
    TARGET.mkdir(exist_ok=True)
    files = expected_files()
    for stale in set(path.name for path in TARGET.glob("*.py")) - set(files):
        (TARGET / stale).unlink()
    for name, text in files.items():
        (TARGET / name).write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
