"""Every worked example of the spec comes out exactly through `crm report --format json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crm_tui.cli.main import main
from crm_tui.store.database import Database
from tests.conftest import SPEC_EXAMPLES, small_jsonl_path

EXAMPLES_DIR = small_jsonl_path().parent
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.json"))


def command_line(example: Path) -> list[str]:
    """`funnel--kind-typical.json` -> ["funnel", "--kind", "typical"]."""
    name, *options = example.stem.split("--")
    arguments = [name]
    for option in options:
        key, value = option.split("-", 1)
        arguments += [f"--{key}", value]
    return arguments


def test_examples_are_found() -> None:
    assert len(EXAMPLES) >= 6, SPEC_EXAMPLES


def test_command_line_parsing() -> None:
    example = Path("event-calendar--now-2026-01-01T00:00--from-2025-11-01--to-2026-02-28.json")
    assert command_line(example) == [
        "event-calendar", "--now", "2026-01-01T00:00", "--from", "2025-11-01",
        "--to", "2026-02-28",
    ]


@pytest.mark.parametrize("example", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_example(example: Path, small_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    expected = json.loads(example.read_text(encoding="utf-8"))
    status = main(["report", *command_line(example), "--format", "json", "--db", small_db.url])
    printed = capsys.readouterr().out
    assert status == 0
    document = json.loads(printed)
    assert document["report"] == command_line(example)[0]
    assert document["rows"] == expected["rows"]
    assert document["totals"] == expected["totals"]
    # Dumped like the examples: UTF-8 text, not \u escapes, one-space indent.
    assert '"rows": [\n  {' in printed
    assert "\\u04" not in printed
