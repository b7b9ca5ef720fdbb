"""Chart layout (pure lines) and the period presets."""

from __future__ import annotations

from datetime import date

import pytest
from rich.cells import cell_len
from rich.console import Console

from crm_tui.screens.reports.panel_period import next_preset, parse_date, preset_period
from crm_tui.widgets.charts import (
    FULL,
    Bar,
    FunnelChart,
    Segment,
    Stack,
    bar_lines,
    funnel_lines,
    stacked_lines,
)


def test_funnel_narrows_and_is_centred() -> None:
    bars = [Bar("Lead", 29, "—"), Bar("Qualify", 25, "86.2%"), Bar("Contract", 10, "40.0%")]
    lines = funnel_lines(bars, 60)
    assert len(lines) == 3
    counts = [line.plain.count(FULL) for line in lines]
    assert counts[0] > counts[1] > counts[2] > 0
    assert all(cell_len(line.plain) <= 60 for line in lines)
    assert lines[1].plain.rstrip().endswith("86.2%")
    first_block = [line.plain.index(FULL) for line in lines]
    assert first_block[0] < first_block[1] < first_block[2]  # centred: narrows inwards


def test_zero_value_draws_no_bar_and_tiny_value_one_cell() -> None:
    lines = bar_lines([Bar("a", 1000, ""), Bar("b", 1, ""), Bar("c", 0, "")], 40)
    assert [line.plain.count(FULL) for line in lines][1:] == [1, 0]


def test_empty_charts() -> None:
    assert funnel_lines([], 80) == []
    assert bar_lines([], 80) == []
    assert stacked_lines([], 80) == []


def test_stacked_segments_add_up() -> None:
    stacks = [Stack("ivan", (Segment(3, "green"), Segment(1, "red"), Segment(2, "yellow"))),
              Stack("anna", (Segment(1, "green"), Segment(0, "red"), Segment(1, "yellow")))]
    lines = stacked_lines(stacks, 50, [("Won", "green"), ("Lost", "red")])
    assert "Won" in lines[0].plain and "Lost" in lines[0].plain
    ivan, anna = lines[1].plain.count(FULL), lines[2].plain.count(FULL)
    assert ivan > anna > 0


@pytest.mark.parametrize("width", [20, 40, 80, 120])
def test_hostile_labels_literal_and_fit(width: int) -> None:
    hostile = "[@click=app.quit]x[/] \x1b]52;c;aGk=\x07"
    console = Console(width=width, record=True, color_system=None)
    console.print(FunnelChart([Bar(hostile, 5, "100.0%"), Bar("[/]", 2, "40.0%")]))
    text = console.export_text()
    assert "\x1b" not in text and "\x07" not in text
    assert "[/]" in text
    assert all(cell_len(line) <= width for line in text.splitlines())


def test_presets() -> None:
    today = date(2026, 1, 15)
    assert preset_period("all", today) == (None, None)
    assert preset_period("month", today) == (date(2026, 1, 1), date(2026, 1, 31))
    assert preset_period("last_month", today) == (date(2025, 12, 1), date(2025, 12, 31))
    assert preset_period("quarter", today) == (date(2026, 1, 1), date(2026, 3, 31))
    assert preset_period("year", today) == (date(2026, 1, 1), date(2026, 12, 31))
    assert preset_period("quarter", date(2025, 11, 30)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert preset_period("month", date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert preset_period("last_month", date(2025, 3, 31)) == (date(2025, 2, 1), date(2025, 2, 28))


def test_next_preset_cycles() -> None:
    seen = ["all"]
    for _step in range(5):
        seen.append(next_preset(seen[-1]))
    assert seen == ["all", "month", "last_month", "quarter", "year", "all"]
    assert next_preset("custom") == "all"


def test_parse_date() -> None:
    assert parse_date("") is None
    assert parse_date("2025-11-01") == date(2025, 11, 1)
    assert parse_date("01.11.2025") == date(2025, 11, 1)
    with pytest.raises(ValueError):
        parse_date("2025-13-01")
    with pytest.raises(ValueError):
        parse_date("tomorrow")
