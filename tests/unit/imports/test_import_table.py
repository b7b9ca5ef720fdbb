"""`crm import-table`: files as 1C, Excel and other CRMs save them; all or nothing; duplicates;
the same file twice changes nothing."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from crm_tui.cli.main import main
from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database

INN_WITH_ZERO = "0278123453"  # a valid organisation INN starting with 0
YANDEX = "7736207543"


@pytest.fixture
def url(db_url: str) -> str:
    database = Database.open(db_url)
    import_lines(database, [json.dumps(x, ensure_ascii=False) for x in (
        {"type": "region", "code": "MSK", "name": "Москва"},
        {"type": "user", "login": "ivanov", "name": "Иванов Иван Иванович"},
        {"type": "partner", "id": "P1", "name": "Ромашка", "roles": ["client"]},
        {"type": "counterparty", "id": "C1", "partners": ["P1"], "inn": "7707083893",
         "short_name": "ООО Ромашка", "full_name": "ООО Ромашка", "kpp": "773601001"},
        {"type": "stage", "code": "lead", "name": "Первичный интерес", "order": 10},
        {"type": "stage", "code": "contract", "name": "Договор", "order": 20},
        {"type": "deal_kind", "code": "typical", "name": "Типовая продажа",
         "stage_control": "strict", "stages": ["lead", "contract"]},
    )])
    database.close()
    return db_url


def _rows(url: str, sql: str) -> list[tuple[object, ...]]:
    database = Database.open(url)
    try:
        with database.read() as session:
            return [tuple(r) for r in session.execute(text(sql))]
    finally:
        database.close()


def _partners(url: str) -> list[tuple[object, ...]]:
    return _rows(url, "SELECT p.name, c.inn, c.kpp, r.code, u.login FROM partner p "
                      "LEFT JOIN partner_counterparty pc ON pc.partner_id = p.id "
                      "LEFT JOIN counterparty c ON c.id = pc.counterparty_id "
                      "LEFT JOIN classifier r ON r.id = p.region_id "
                      "LEFT JOIN app_user u ON u.id = p.manager_id ORDER BY p.name")


ONE_C_LINES = [
    "Контрагенты",
    "",
    "Наименование;ИНН;КПП;Телефон;Адрес;Контактное лицо;Менеджер;Бизнес-регион;Вид цен",
    'ООО "Яндекс";7736207543;770401001;8 (495) 739-70-00;Москва;Петров Пётр;'
    "Иванов Иван Иванович;Москва;Оптовая",
    "ООО Нулевой;278123453;;+7 916 000-00-01;;;ivanov;MSK;",
]


def _one_c_file(tmp_path: Path, encoding: str = "cp1251") -> str:
    path = tmp_path / "kontragenty.csv"
    path.write_text("\r\n".join(ONE_C_LINES) + "\r\n", encoding=encoding)
    return str(path)


def test_a_1c_list_in_windows_1251_with_a_title_line(
        url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _one_c_file(tmp_path)
    assert main(["import-table", "partners", source, "--db", url]) == 0
    out = capsys.readouterr().out
    assert "Вид цен: not imported" in out  # the unknown column is shown
    assert "Бизнес-регион → Region" in out
    assert f"5: INN 278123453 lost its leading zero: read as {INN_WITH_ZERO}" in out
    assert "created: 2, updated: 0, unchanged: 0, skipped: 0" in out
    assert _partners(url) == [
        ('ООО "Яндекс"', YANDEX, "770401001", "MSK", "ivanov"),
        ("ООО Нулевой", INN_WITH_ZERO, None, "MSK", "ivanov"),
        ("Ромашка", "7707083893", "773601001", None, None),
    ]
    phones = _rows(url, "SELECT c.name, c.phones FROM contact c ORDER BY c.name")
    assert phones == [("ООО Нулевой", '["+79160000001"]'), ("Петров Пётр", '["+74957397000"]')]
    # The same file again changes nothing, with no choice needed.
    assert main(["import-table", "partners", source, "--db", url]) == 0
    assert "created: 0, updated: 0, unchanged: 2, skipped: 0" in capsys.readouterr().out
    assert len(_partners(url)) == 3
    assert _rows(url, "SELECT count(*) FROM contact") == [(2,)]


def test_utf8_with_bom_comma_and_english_headers(
        url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "crm.csv"
    path.write_text("Partner,INN,Phone,E-mail,Region\n"
                    '"Yandex, LLC",7736207543,+7 495 739-70-00,info@ya.example,MSK\n',
                    encoding="utf-8-sig")
    assert main(["import-table", "partners", str(path), "--db", url]) == 0
    assert ("Yandex, LLC", YANDEX, None, "MSK", None) in _partners(url)


def test_xlsx_with_a_title_row_and_a_number_inn(url: str, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Лист1"
    book.create_sheet("Клиенты")
    clients = book["Клиенты"]
    clients.append(["Список контрагентов на 31.12.2026"])
    clients.append([])
    clients.append(["Контрагент", "ИНН", "Тел."])
    clients.append(["ООО Нулевой", int(INN_WITH_ZERO), 89160000001])  # Excel's numbers
    path = tmp_path / "list.xlsx"
    book.save(path)
    assert main(["import-table", "partners", str(path), "--db", url, "--sheet", "Клиенты"]) == 0
    assert ("ООО Нулевой", INN_WITH_ZERO, None, None, None) in _partners(url)
    assert main(["import-table", "partners", str(path), "--db", url, "--sheet", "Нет"]) == 1


def test_all_or_nothing_with_every_problem_on_its_line(
        url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Наименование;ИНН;Телефон;Регион;Менеджер\n"
                    "Хороший;7736207543;;;\n"
                    "Плохой;7736207544;123;Марс;никто\n", encoding="utf-8")
    before = _partners(url)
    assert main(["import-table", "partners", str(path), "--db", url]) == 1
    err = capsys.readouterr().err
    for message in ("3: INN check digit is wrong", "3: not a phone number: 123",
                    "3: unknown region: Марс", "3: unknown manager: никто",
                    "crm: nothing imported; problems: 4"):
        assert message in err
    assert "Traceback" not in err
    assert _partners(url) == before


def test_dry_run_writes_nothing(url: str, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    before = _partners(url)
    assert main(["import-table", "partners", _one_c_file(tmp_path), "--db", url,
                 "--dry-run"]) == 0
    assert "Dry run, nothing written: created: 2" in capsys.readouterr().out
    assert _partners(url) == before


@pytest.mark.parametrize(("choice", "names", "status"), [
    (None, ["Ромашка"], 1),
    ("skip", ["Ромашка"], 0),
    ("update", ["Ромашка Плюс"], 0),
    ("create", ["Ромашка", "Ромашка Плюс"], 0),
])
def test_a_duplicate_by_inn_and_kpp(url: str, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str], choice: str | None,
                                    names: list[str], status: int) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("Наименование;ИНН;КПП\nРомашка Плюс;7707083893;773601001\n",
                    encoding="utf-8")
    option = ["--on-duplicate", choice] if choice else []
    assert main(["import-table", "partners", str(path), "--db", url, *option]) == status
    if choice is None:
        assert "2: already there: P1; choose update, skip or create" in capsys.readouterr().err
    assert sorted(str(p[0]) for p in _partners(url)) == names
    # Imported again: nothing changes whatever the choice.
    assert main(["import-table", "partners", str(path), "--db", url, *option]) == status
    assert sorted(str(p[0]) for p in _partners(url)) == names


def test_a_duplicate_by_name_and_phone(url: str, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "people.csv"
    path.write_text("ФИО;Телефон;Комментарий\nИП Сидоров;8 916 000-00-02;первый\n",
                    encoding="utf-8")
    # «ФИО» is the contact person in a partners file; the partner needs its name: map it.
    assert main(["import-table", "partners", str(path), "--db", url, "--map",
                 "ФИО=name"]) == 0
    path.write_text("ФИО;Телефон;Комментарий\nИП Сидоров;+79160000002;второй\n",
                    encoding="utf-8")
    assert main(["import-table", "partners", str(path), "--db", url, "--map",
                 "ФИО=name"]) == 1
    assert "2: already there: P" in capsys.readouterr().err
    assert main(["import-table", "partners", str(path), "--db", url, "--map", "ФИО=name",
                 "--on-duplicate", "update"]) == 0
    assert _rows(url, "SELECT comment FROM partner WHERE name = 'ИП Сидоров'") == [("второй",)]


def test_saved_mapping(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Клиент ООО;Код налогоплательщика\nМаяк;7736207543\n", encoding="utf-8")
    assert main(["import-table", "partners", str(path), "--db", url]) == 1
    assert "no column for: Name" in capsys.readouterr().err
    assert main(["import-table", "partners", str(path), "--db", url, "--dry-run",
                 "--map", "Клиент ООО=name", "--map", "Код налогоплательщика=inn",
                 "--save-mapping", "из 1С"]) == 0
    assert main(["import-table", "partners", str(path), "--db", url, "--mapping", "из 1С"]) == 0
    assert ("Маяк", YANDEX, None, None, None) in _partners(url)
    assert main(["import-table", "partners", str(path), "--db", url, "--mapping", "нет"]) == 1
    assert "crm: no saved mapping нет" in capsys.readouterr().err


def test_contacts_for_existing_partners(url: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("Контрагент;ИНН;ФИО;Должность;Телефон;Email\n"
                    ";7707083893;Смирнова Ольга;бухгалтер;8 916 000-00-03;o@r.example\n"
                    "Ромашка;;Кузнецов Иван;;;\n"
                    "Нет такого;;Кто-то;;;\n", encoding="utf-8")
    assert main(["import-table", "contacts", str(path), "--db", url]) == 1
    assert "4: no partner Нет такого" in capsys.readouterr().err
    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:3]) + "\n",
                    encoding="utf-8")
    assert main(["import-table", "contacts", str(path), "--db", url]) == 0
    assert main(["import-table", "contacts", str(path), "--db", url]) == 0
    assert "unchanged: 2" in capsys.readouterr().out
    assert _rows(url, "SELECT name, position, phones FROM contact ORDER BY name") == [
        ("Кузнецов Иван", None, "[]"), ("Смирнова Ольга", "бухгалтер", '["+79160000003"]')]


def test_deals_with_amounts_dates_kinds_and_stages(url: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    kinds = _rows(url, "SELECT k.code, k.name FROM deal_kind k ORDER BY k.sort_order, k.id")
    stages = _rows(url, "SELECT c.name FROM deal_kind_stage s JOIN classifier c ON "
                        f"c.id = s.stage_id JOIN deal_kind k ON k.id = s.kind_id WHERE k.code = "
                        f"'{kinds[0][0]}' ORDER BY s.position")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Сделки"])
    sheet.append(["Сделка", "Контрагент", "Вид сделки", "Этап", "Сумма", "Менеджер", "Дата"])
    sheet.append(["Поставка", "Ромашка", kinds[0][1], stages[-1][0], "1 500 000,50",
                  "Иванов Иван Иванович", datetime(2026, 12, 31)])
    sheet.append(["Монтаж", "Ромашка", kinds[0][0], None, "не число", "ivanov", "31.12.2026"])
    path = tmp_path / "deals.xlsx"
    book.save(path)
    assert main(["import-table", "deals", str(path), "--db", url]) == 1
    assert "4: not an amount" in capsys.readouterr().err
    sheet["E4"] = 1500.5
    book.save(path)
    assert main(["import-table", "deals", str(path), "--db", url]) == 0
    assert main(["import-table", "deals", str(path), "--db", url]) == 0
    assert "unchanged: 2" in capsys.readouterr().out
    deals = _rows(url, "SELECT d.name, d.amount_minor, d.created_at, c.name, u.login "
                       "FROM deal d LEFT JOIN classifier c ON c.id = d.stage_id "
                       "JOIN app_user u ON u.id = d.manager_id ORDER BY d.name")
    assert deals == [
        ("Монтаж", 150050, "2026-12-31 00:00:00.000000", stages[0][0], "ivanov"),
        ("Поставка", 150000050, "2026-12-31 00:00:00.000000", stages[-1][0], "ivanov"),
    ]


def test_new_partners_are_searchable_audited_and_keys_move_on(
        url: str, tmp_path: Path) -> None:
    from crm_tui.domain.partners import PartnerInput
    from crm_tui.store.audit import history
    from crm_tui.store.repo_partners_write import create_partner
    from crm_tui.store.search_partners import search_partners

    assert main(["import-table", "partners", _one_c_file(tmp_path), "--db", url]) == 0
    database = Database.open(url)
    try:
        with database.read() as session:
            [hit] = search_partners(session, "нулевой", 5)
            assert hit.key == "P-000002"
            assert {(e.action, e.field) for e in history(session, "partner", hit.key)} >= {
                ("insert", "name"), ("update", "counterparties")}
            assert [e.new for e in history(session, "counterparty", "C-000002")
                    if e.field == "inn"] == [INN_WITH_ZERO]
        with database.write() as session:
            assert create_partner(session, PartnerInput(name="После")) == "P-000003"
    finally:
        database.close()


def test_a_progress_bar_on_a_terminal(url: str, tmp_path: Path) -> None:
    """On a terminal stderr gets Rich's bar, its own codes not escaped as user data."""
    import os
    import pty
    import subprocess
    import sys

    primary, secondary = pty.openpty()
    result = subprocess.run(
        [sys.executable, "-m", "crm_tui", "--db", url, "import-table", "partners",
         _one_c_file(tmp_path)], stderr=secondary, stdout=subprocess.PIPE, timeout=300,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"})
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert result.returncode == 0
    assert "Importing" in shown and "\x1b[" in shown and "\\x1b" not in shown
