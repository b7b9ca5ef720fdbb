"""Spreadsheets like those an office brings from 1C or Excel, of any size, for timing
`crm import-table` (issue 26: "100k rows import with a progress bar and memory bounded").

    python benchmarks/table_file.py reference OUT.jsonl        # regions, managers, deal kinds
    python benchmarks/table_file.py partners N OUT.csv [--encoding cp1251] [--xlsx]
    python benchmarks/table_file.py contacts N OUT.csv          # for partners 1..N
    python benchmarks/table_file.py deals N OUT.csv             # for partners 1..N

The rows are what `crm import-table` meets in real files: a 1C title line above Russian
headers, `;` separators, Windows-1251 (or UTF-8 with a BOM), phones in every notation,
amounts with spaces and a decimal comma, dates as 31.12.2026, regions and managers by name,
one INN in fifty without the leading zero Excel dropped, a column no field takes. Row i of
the contacts and deals files names partner i of the partners file by its INN (by name for
one in ten), so the three import one after the other. Everything follows from i: the same
N gives the same file.

    python benchmarks/table_file.py reference ref.jsonl && crm --db b.sqlite import ref.jsonl
    python benchmarks/table_file.py partners 100000 p.csv
    /usr/bin/time -v script -qec "crm --db b.sqlite import-table partners p.csv" /dev/null
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from stdnum.ru import inn as stdnum_inn

REGIONS = (("MSK", "Москва"), ("SPB", "Санкт-Петербург"), ("EKB", "Екатеринбург"),
           ("NSK", "Новосибирск"), ("KZN", "Казань"))
MANAGERS = (("ivanov", "Иванов Иван Иванович"), ("petrova", "Петрова Анна Сергеевна"),
            ("sidorov", "Сидоров Пётр Алексеевич"), ("kuznetsova", "Кузнецова Ольга Игоревна"))
STAGES = (("lead", "Первичный интерес"), ("offer", "Коммерческое предложение"),
          ("contract", "Договор"))
WORDS = ("Ромашка", "Вектор", "Альфа", "Гранит", "Меридиан", "Спектр", "Орион", "Север",
         "Техносфера", "Восход", "Прогресс", "Импульс", "Кристалл", "Арсенал", "Горизонт")
FORMS = ("ООО", "АО", "ПАО", "ООО ТД", "ЗАО")
FIRST = ("Иван", "Анна", "Пётр", "Ольга", "Сергей", "Мария", "Алексей", "Елена", "Дмитрий")
LAST = ("Смирнов", "Кузнецова", "Попов", "Васильева", "Соколов", "Михайлова", "Новиков")
POSITIONS = ("Директор", "Главный бухгалтер", "Менеджер по закупкам", "Инженер", "")


def reference() -> Iterator[dict[str, object]]:
    """What the rows name: regions, managers, a deal kind with its stages (`crm import`)."""
    for code, name in REGIONS:
        yield {"type": "region", "code": code, "name": name}
    for login, name in MANAGERS:
        yield {"type": "user", "login": login, "name": name}
    for order, (code, name) in enumerate(STAGES, 1):
        yield {"type": "stage", "code": code, "name": name, "order": order * 10}
    yield {"type": "deal_kind", "code": "typical", "name": "Типовая продажа",
           "stage_control": "manual", "stages": [code for code, _name in STAGES]}


def inn_of(i: int) -> str:
    """Partner i's organisation INN (10 digits, valid check digit); one in fifty starts
    with 0."""
    base = f"0{10_000_000 + i:08d}" if i % 50 == 0 else f"{500000000 + i:09d}"
    return base + stdnum_inn.calc_company_check_digit(base)


def name_of(i: int) -> str:
    return f'{FORMS[i % len(FORMS)]} "{WORDS[i % len(WORDS)]}-{i}"'


def phone_of(i: int) -> str:
    digits = f"{i:07d}"[-7:]
    forms = (f"8 (495) {digits[:3]}-{digits[3:5]}-{digits[5:]}", f"+7 495 {digits}",
             f"8-495-{digits[:3]}-{digits[3:5]}-{digits[5:]}")
    return forms[i % len(forms)]


def person_of(i: int) -> str:
    return f"{LAST[i % len(LAST)]} {FIRST[(i // 7) % len(FIRST)]}"


def partner_rows(n: int) -> Iterator[list[str]]:
    yield ["Наименование", "Полное наименование", "ИНН", "КПП", "Телефон", "Адрес",
           "Контактное лицо", "Должность", "E-mail", "Менеджер", "Бизнес-регион",
           "Комментарий", "Вид цен"]
    for i in range(1, n + 1):
        inn = inn_of(i)
        region = REGIONS[i % len(REGIONS)]
        yield [name_of(i), f"Общество {name_of(i)}", inn[1:] if i % 50 == 0 else inn,
               f"77{i % 100:02d}01001", phone_of(i),
               f"г. {region[1]}, ул. Ленина, д. {i % 200 + 1}", person_of(i),
               POSITIONS[i % len(POSITIONS)], f"info{i}@example.ru",
               MANAGERS[i % len(MANAGERS)][1], region[1] if i % 3 else region[0],
               "постоянный клиент" if i % 10 == 0 else "", "Оптовая"]


def contact_rows(n: int) -> Iterator[list[str]]:
    yield ["Контрагент", "ИНН", "ФИО", "Должность", "Телефон", "E-mail"]
    for i in range(1, n + 1):
        by_name = i % 10 == 0
        yield [name_of(i) if by_name else "", "" if by_name else inn_of(i),
               f"{LAST[(i + 3) % len(LAST)]} {FIRST[(i + 1) % len(FIRST)]} (доп.)",
               POSITIONS[(i + 2) % len(POSITIONS)], f"+7 916 {i % 10_000_000:07d}",
               f"contact{i}@example.ru"]


def deal_rows(n: int) -> Iterator[list[str]]:
    yield ["Сделка", "Контрагент", "ИНН", "Вид сделки", "Этап", "Сумма", "Менеджер", "Дата",
           "Комментарий"]
    for i in range(1, n + 1):
        by_name = i % 10 == 0
        rubles = f"{(i * 7919) % 5_000_000:,}".replace(",", " ")
        yield [f"Поставка {i}", name_of(i) if by_name else "", "" if by_name else inn_of(i),
               "Типовая продажа", STAGES[i % len(STAGES)][1], f"{rubles},{i % 100:02d}",
               MANAGERS[i % len(MANAGERS)][0], f"{i % 28 + 1:02d}.{i % 12 + 1:02d}.2026",
               "из 1С" if i % 5 == 0 else ""]


ROWS = {"partners": partner_rows, "contacts": contact_rows, "deals": deal_rows}


def write_csv(rows: Iterator[list[str]], path: Path, encoding: str) -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        handle.write("Контрагенты\r\n\r\n")  # 1C's title line above the header
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerows(rows)


def write_xlsx(rows: Iterator[list[str]], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Контрагенты")
    sheet.append(["Список контрагентов"])
    for row in rows:
        # Excel takes an INN for a number (and drops its leading zero)
        sheet.append([int(c) if c.isdigit() and len(c) in (9, 10) else c for c in row])
    book.save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["reference", *ROWS])
    parser.add_argument("rows_or_out")
    parser.add_argument("out", nargs="?")
    parser.add_argument("--encoding", default="cp1251", choices=["cp1251", "utf-8-sig"])
    parser.add_argument("--xlsx", action="store_true", help="write an xlsx file")
    args = parser.parse_args(argv)
    if args.what == "reference":
        with open(args.rows_or_out, "w", encoding="utf-8") as handle:
            for record in reference():
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return 0
    if args.out is None:
        parser.error("the output file is missing")
    rows = ROWS[args.what](int(args.rows_or_out))
    if args.xlsx:
        write_xlsx(rows, Path(args.out))
    else:
        write_csv(rows, Path(args.out), args.encoding)
    return 0


if __name__ == "__main__":
    sys.exit(main())
