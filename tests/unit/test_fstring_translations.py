"""Strings wrapped in `_()` inside an f-string never reach a catalog: Babel's extractor (on
Python 3.11) reads an f-string as one token. "Drill-down" stayed English in Russian that
way (issue 22 §4). This test finds such calls; the catalog test then covers the rest."""

from __future__ import annotations

import ast
from pathlib import Path

import crm_tui

ROOT = Path(crm_tui.__file__).parent


def _literal_calls_in_fstrings(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for inner in ast.walk(node):
            if (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)
                    and inner.func.id in ("_", "N_") and inner.args
                    and isinstance(inner.args[0], ast.Constant)):
                found.append((inner.lineno, str(inner.args[0].value)))
    return found


def test_no_literal_translated_inside_an_fstring() -> None:
    problems = []
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        problems += [f"{path.relative_to(ROOT)}:{line}: {text}"
                     for line, text in _literal_calls_in_fstrings(tree)]
    assert problems == []
