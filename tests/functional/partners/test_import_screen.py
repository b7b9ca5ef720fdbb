"""Pilot: the import screen — the detected mapping changed from the keyboard, the preview
with each row's problems before anything is written, and the choice for a row already
there."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from textual.widgets import DataTable, Input, ProgressBar

from crm_tui.app import CrmApp
from crm_tui.screens.partners.list import PartnersScreen
from crm_tui.screens.shell.import_dialogs import ChoiceDialog
from crm_tui.screens.shell.import_table import ImportTableScreen
from crm_tui.store.database import Database
from crm_tui.widgets.status_line import StatusLine
from tests.functional.partners.conftest import wait_db
from tests.support.screen import wait_until


def _names(url: str) -> list[str]:
    database = Database.open(url)
    try:
        with database.read() as session:
            return [r[0] for r in session.execute(text("SELECT name FROM partner ORDER BY name"))]
    finally:
        database.close()


def _cells(table: DataTable[Any], column: int) -> list[str]:
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


async def _open(app: CrmApp, pilot: Any, path: Path) -> ImportTableScreen:
    """From the partners section: Ctrl+O, the file's path, Enter; wait for the preview."""
    await wait_db(app, pilot)
    await pilot.press("1")
    await wait_until(pilot, lambda: isinstance(app.screen, PartnersScreen))
    await pilot.press("ctrl+o")
    await wait_until(pilot, lambda: isinstance(app.screen, ImportTableScreen))
    screen = app.screen
    assert isinstance(screen, ImportTableScreen)
    screen.query_one("#import-path", Input).value = str(path)
    await pilot.press("enter")
    await wait_until(pilot, lambda: screen.analysis is not None, what="the preview")
    return screen


async def test_mapping_changed_from_the_keyboard_and_preview_problems(
        partners_db: str, tmp_path: Path, fixed_now: object) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Список контрагентов\n\nКлиент ООО;ИНН;Регион\n"
                    "Маяк;7736207543;Москва\nЗвезда;7736207544;Марс\n", encoding="cp1251")
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _open(app, pilot, path)
        columns = screen.query_one("#import-mapping", DataTable)
        assert _cells(columns, 0) == ["Клиент ООО", "ИНН", "Регион"]
        assert _cells(columns, 1) == ["— not imported —", "INN", "Region"]
        assert "No column for: Name" in str(screen.query_one("#import-status").render())
        # The first column becomes the name: focus the columns, Enter, choose "Name".
        columns.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        first = screen.analysis
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: screen.analysis is not first
                         and screen.analysis is not None, what="the new preview")
        assert _cells(columns, 1) == ["Name", "INN", "Region"]
        preview = screen.query_one("#import-preview", DataTable)
        assert _cells(preview, 0) == ["4", "5"]
        assert _cells(preview, 1) == ["new", "problem"]
        assert "Name: Маяк" in _cells(preview, 3)[0]
        assert _cells(preview, 2)[1] == "INN check digit is wrong; unknown region: Марс"
        # Nothing is written while a row has a problem.
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Nothing imported" in str(
            screen.query_one("#import-status").render()))
        assert isinstance(app.screen, ImportTableScreen)
    assert "Маяк" not in _names(partners_db)


async def test_a_row_already_there_skip_update_or_create(
        partners_db: str, tmp_path: Path, fixed_now: object) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("Наименование;ИНН;КПП\nРомашка Плюс;7707083893;773601001\n"
                    "Маяк;7736207543;\n", encoding="utf-8-sig")
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _open(app, pilot, path)
        preview = screen.query_one("#import-preview", DataTable)
        assert _cells(preview, 1) == ["update (P1)", "new"]  # the file's choice: update
        preview.focus()
        await pilot.press("s")  # this row: skip
        await wait_until(pilot, lambda: _cells(preview, 1)[:1] == ["skip (P1)"])
        await pilot.press("c")  # this row: create anyway
        await wait_until(pilot, lambda: _cells(preview, 1)[:1] == ["new (P1)"])
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnersScreen),
                         what="back to the list")
    assert _names(partners_db) == ["[/]", "Артём и партнёры", "Маяк", "Ромашка",
                                   "Ромашка Плюс"]


async def test_the_file_choice_and_a_second_run(partners_db: str, tmp_path: Path,
                                                fixed_now: object) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("Наименование;ИНН;КПП\nРомашка Плюс;7707083893;773601001\n",
                    encoding="utf-8")
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _open(app, pilot, path)
        preview = screen.query_one("#import-preview", DataTable)
        await pilot.press("ctrl+r")  # the file's choice: skip
        await wait_until(pilot, lambda: _cells(preview, 1) == ["skip (P1)"])
        await pilot.press("ctrl+r")  # create
        await wait_until(pilot, lambda: _cells(preview, 1) == ["new (P1)"])
        await pilot.press("ctrl+r")  # update
        await wait_until(pilot, lambda: _cells(preview, 1) == ["update (P1)"])
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnersScreen))
        assert "Ромашка Плюс" in _names(partners_db) and "Ромашка" not in _names(partners_db)
        screen = await _open(app, pilot, path)
        preview = screen.query_one("#import-preview", DataTable)
        assert _cells(preview, 1) == ["unchanged (P1)"]


async def test_list_export_of_what_is_shown_and_back(
        partners_db: str, tmp_path: Path, fixed_now: object) -> None:
    """The partners list, searched, out to CSV (Ctrl+X) and to XLSX (the palette's command):
    only the rows found, every one; imported back, nothing changes."""
    from crm_tui.cli.main import main
    from crm_tui.widgets.virtual_list import VirtualList

    target = tmp_path / "found.csv"
    app = CrmApp(partners_db, language="ru")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_db(app, pilot)
        await pilot.press("1")
        await wait_until(pilot, lambda: isinstance(app.screen, PartnersScreen))
        listing = app.screen.query_one(VirtualList)
        await wait_until(pilot, lambda: listing.row_count == 3)
        await pilot.press("ctrl+f", *"ром")
        await wait_until(pilot, lambda: listing.row_count == 1)
        listing.focus()
        await pilot.press("ctrl+x")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ExportDialog"
                         and bool(app.screen.query(Input)))
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, target.exists, what="the export")
        app.action_export_list()
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ExportDialog"
                         and bool(app.screen.query(Input)))
        app.screen.query_one(Input).value = str(tmp_path / "found.xlsx")
        await pilot.press("enter")
        await wait_until(pilot, (tmp_path / "found.xlsx").exists, what="the xlsx export")
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Наименование;ИНН;")
    assert lines[1:] == ["Ромашка;7707083893;Москва;Клиент;Иванов И. И."]
    before = _names(partners_db)
    for path in (target, tmp_path / "found.xlsx"):
        assert main(["import-table", "partners", str(path), "--db", partners_db]) == 0
    assert _names(partners_db) == before


async def test_a_big_file_shows_its_progress_while_it_is_written(
        partners_db: str, tmp_path: Path, fixed_now: object,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+S on 1200 rows: the bar and "Importing: 500 of 1 200 rows" after the first
    chunk (the second chunk waits until the test has seen them), then every row is in."""
    from benchmarks.table_file import inn_of, name_of, phone_of, write_csv
    from crm_tui.exchange import table_ahead

    path = tmp_path / "kontragenty.csv"
    write_csv(iter([["Наименование", "ИНН", "Телефон"]] + [
        [name_of(i), inn_of(i), phone_of(i)] for i in range(1, 1201)]), path, "cp1251")
    before = len(_names(partners_db))
    writing, seen = threading.Event(), threading.Event()
    chunks: list[int] = []
    read_ahead = table_ahead.read_ahead

    def held(session: Any, target: str, chunk: list[dict[str, str]]) -> Any:
        if writing.is_set():
            chunks.append(len(chunk))
            if len(chunks) == 2:  # the first chunk is written and reported
                assert seen.wait(60)
        return read_ahead(session, target, chunk)

    monkeypatch.setattr(table_ahead, "read_ahead", held)
    app = CrmApp(partners_db, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        try:
            screen = await _open(app, pilot, path)
            bar = screen.query_one(ProgressBar)
            assert not bar.display
            writing.set()
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: bar.display and bar.progress == 500,
                             what="the first chunk's progress")
            assert bar.total == 1200
            assert "Importing: 500 of 1,200 rows" in str(
                screen.query_one("#import-status", StatusLine).render())
        finally:
            seen.set()
        await wait_until(pilot, lambda: isinstance(app.screen, PartnersScreen),
                         what="back to the list")
    assert chunks == [500, 500, 200]
    assert len(_names(partners_db)) == before + 1200
