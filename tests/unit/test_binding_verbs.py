"""Footer keys name actions with verbs in Russian (issue 22 §4): the status label "Open"
("Открыто") must not be the key that opens a record, nor "Done" ("Обработано") the key
that marks an interaction done."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import crm_tui
from crm_tui.i18n import _, set_language

ROOT = Path(crm_tui.__file__).parent
# What Russian status labels look like: a short participle, not an imperative.
NOT_VERBS = {"Открыто", "Открыта", "Обработано", "Выполнено"}


def _bindings() -> Iterator[tuple[str, str, str]]:
    """(file:line, action, description) of every Binding(key, action, N_("…"))."""
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Binding"
                    and len(node.args) >= 3):
                continue
            action, described = node.args[1], node.args[2]
            if (isinstance(action, ast.Constant) and isinstance(described, ast.Call)
                    and described.args and isinstance(described.args[0], ast.Constant)):
                yield (f"{path.relative_to(ROOT)}:{node.lineno}", str(action.value),
                       str(described.args[0].value))


@pytest.fixture
def russian() -> Iterator[None]:
    set_language("ru")
    yield
    set_language("en")


@pytest.mark.usefixtures("russian")
def test_russian_footer_names_actions_with_verbs() -> None:
    found = list(_bindings())
    assert any(action == "open" for _where, action, _text in found)
    wrong = [(where, _(text)) for where, _action, text in found if _(text) in NOT_VERBS]
    assert wrong == []
    opening = [(where, _(text)) for where, action, text in found
               if action == "open" and not _(text).startswith("Открыть")]
    assert opening == []
