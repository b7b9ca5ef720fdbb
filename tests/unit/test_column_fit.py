"""Lists and board columns at 80 columns: keys, dates, statuses and sums are never cut; the
least important columns go first."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rich.style import Style

from crm_tui.i18n import set_language
from crm_tui.widgets.kanban import ColumnSpec, KanbanColumn
from crm_tui.widgets.virtual_list import Column, VirtualList


def _widths(columns: list[Column], width: int) -> list[int]:
    return VirtualList(columns)._column_widths(width)


def test_the_highest_drop_goes_first_and_fixed_widths_stay() -> None:
    columns = [Column("Key", 10), Column("Topic", min_width=14), Column("Who", 16, drop=2),
               Column("Status", 12, drop=1)]
    assert _widths(columns, 100) == [10, 59, 16, 12]
    assert _widths(columns, 50) == [10, 26, 0, 12]  # "Who" went first
    assert _widths(columns, 30) == [10, 19, 0, 0]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_drilldown_and_claims_keep_keys_and_statuses(language: str) -> None:
    from crm_tui.screens.reports.drilldown import STATUS, columns

    set_language(language)
    for entity in ("deal", "claim", "interaction"):
        cols = columns(entity)
        widths = _widths(cols, 79)
        assert widths[0] >= len("CL-000001")
        status = next(i for i, c in enumerate(cols) if c.title in ("Status", "Статус"))
        from crm_tui.i18n import _

        assert widths[status] >= max(len(_(label)) for label in STATUS.values())
        if entity == "deal":
            assert widths[-1] >= len("12 345 678.90")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_board_sums_are_shortened_never_cut(language: str) -> None:
    set_language(language)
    column = KanbanColumn(ColumnSpec(1, "Переговоры"), 0)
    column.count, column.total = 7, Decimal("41775912.40")
    header = column.lines(12, 20, Style())[1].text.strip().replace("\xa0", " ")
    assert header == {"en": "7 · 41.8M", "ru": "7 · 41,8 млн"}[language]
    column.count = 12  # less room: fewer digits, still a whole number
    header = column.lines(12, 20, Style())[1].text.strip().replace("\xa0", " ")
    assert header == {"en": "12 · 41.8M", "ru": "12 · 42 млн"}[language]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_card_never_runs_its_amount_into_its_days(language: str) -> None:
    """The ru amount has single spaces between digit groups: the days stand two spaces off
    or give way ("3 629 156,11 326 дн." read as one number)."""
    from dataclasses import dataclass

    @dataclass
    class Card:
        key: str = "D-000028"
        name: str = "Deal 28"
        partner: str = "Impulse"
        amount: Decimal = Decimal("3629156.11")
        manager: str = "Ivanov"
        status: str = "open"
        days_in_stage: int = 326

    set_language(language)
    column = KanbanColumn(ColumnSpec(1, "Lead"), 0)
    column.count, column.cards = 1, [Card()]
    for width in range(14, 26):
        amount_line = column.lines(width, 20, Style())[5].text.rstrip()
        amount = amount_line.split("  ")[0]
        assert "326" not in amount, (width, amount_line)
