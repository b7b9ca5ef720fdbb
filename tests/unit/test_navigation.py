"""The one table of screens that open records: every entry imports and takes its key."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import crm_tui.screens
from crm_tui.screens.navigation import NEW, RECORDS, VIEWS, Target
from crm_tui.store.keys import PREFIXES


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_every_record_kind_opens_by_its_key(kind: str) -> None:
    target = RECORDS[kind]
    parameters = inspect.signature(target.screen_class()).parameters
    assert target.key_argument in parameters, (kind, list(parameters))


@pytest.mark.parametrize("kind", sorted(NEW))
def test_every_new_record_form_imports_and_takes_a_partner(kind: str) -> None:
    parameters = inspect.signature(NEW[kind].screen_class()).parameters
    if kind != "partner":  # the partner wizard asks for everything itself
        assert "partner_key" in parameters, (kind, list(parameters))


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_every_view_takes_a_kind_and_a_key(view: str) -> None:
    parameters = list(inspect.signature(VIEWS[view].screen_class()).parameters)
    assert len(parameters) >= 2, (view, parameters)


def test_the_kinds_are_the_records_with_keys() -> None:
    assert set(RECORDS) == {"partner", "deal", "interaction", "claim", "agreement"}
    assert set(RECORDS) <= set(PREFIXES)


def test_a_missing_screen_fails_loudly() -> None:
    with pytest.raises(ImportError):
        Target("crm_tui.screens.nowhere", "NoScreen", "key").screen_class()


def test_no_screen_swallows_import_errors() -> None:
    """A screen that does not import is a bug to fix, not a "not available yet" notice."""
    root = Path(crm_tui.screens.__file__).parent
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if re.search(r"except\s*\(?[\w\s,]*ImportError", path.read_text())]
    assert offenders == []
