"""Word lists and identifier generators for the demo data (valid INN/OGRN check digits)."""

from __future__ import annotations

import random

ROOTS = (
    "Альфа", "Вектор", "Гранит", "Сириус", "Орион", "Меридиан", "Импульс", "Горизонт",
    "Атлант", "Байкал", "Волга", "Северсталь", "Уралтех", "Сибресурс", "Техноком", "Промсервис",
    "Стройинвест", "Агроцентр", "Энергомаш", "Инфосистемы", "Медтехника", "Транслогистик",
    "Полимерпласт", "Металлторг", "Фармация", "Профснаб", "Лидер", "Русхим", "Экопродукт",
    "Спецмонтаж", "Домострой", "Кварц", "Рубин", "Ладога", "Кама", "Енисей", "Алтай",
    "Тайга", "Восток", "Нева",
)
SUFFIXES = ("", "-Трейд", "-Групп", "-Снаб", "-Холдинг", "-Сервис", "-Комплект", " Плюс", "-М")
FORMS = (("ООО", "Общество с ограниченной ответственностью"),
         ("АО", "Акционерное общество"),
         ("ПАО", "Публичное акционерное общество"))
LAST_NAMES = ("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов",
              "Михайлов", "Новиков", "Федоров", "Морозов", "Волков", "Алексеев", "Лебедев",
              "Семенов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев", "Орлов")
FIRST_NAMES = ("Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Иван",
               "Елена", "Ольга", "Наталья", "Анна", "Мария", "Татьяна", "Ирина")
PATRONYMICS = ("Александров", "Дмитриев", "Сергеев", "Андреев", "Иванов", "Петров")
POSITIONS = ("Генеральный директор", "Коммерческий директор", "Главный инженер",
             "Начальник отдела закупок", "Менеджер по закупкам", "Главный бухгалтер",
             "Руководитель проекта", "Технический специалист")
CITIES = {"MSK": ("г. Москва", "495"), "SPB": ("г. Санкт-Петербург", "812"),
          "KZN": ("г. Казань", "843"), "NSK": ("г. Новосибирск", "383"),
          "EKB": ("г. Екатеринбург", "343")}
STREETS = ("ул. Ленина", "ул. Гагарина", "пр. Мира", "ул. Садовая", "ул. Промышленная",
           "наб. Речная", "ул. Заводская", "Ленинградский пр.", "ул. Советская")
MOBILE = ("916", "926", "903", "905", "915", "921", "911", "913", "950", "985")
TOPICS = ("Обсуждение условий поставки", "Презентация продукции", "Согласование спецификации",
          "Уточнение сроков", "Коммерческое предложение", "Повторный звонок",
          "Согласование договора", "Рекламация по поставке", "Сверка взаиморасчетов",
          "Планирование отгрузки", "Знакомство", "Обсуждение скидки")
DEAL_SUBJECTS = ("Поставка оборудования", "Поставка комплектующих", "Сервисный контракт",
                 "Проект автоматизации", "Годовой контракт", "Пилотная поставка",
                 "Модернизация линии", "Поставка расходных материалов", "Лицензии и внедрение")
CLAIM_TEXTS = ("Поставка пришла с опозданием на {n} дней.",
               "В партии обнаружен брак: {n} единиц.",
               "Недостача при приемке: {n} позиций.",
               "В счете-фактуре неверно указаны реквизиты.",
               "Менеджер не отвечал на звонки {n} дней.")
TASKS = (("Связаться с клиентом", "Уточнить обстоятельства и ожидания клиента"),
         ("Проверить склад", "Сверить остатки и документы отгрузки"),
         ("Подготовить ответ", "Письменный ответ на претензию"),
         ("Согласовать компенсацию",
          "Согласовать размер скидки или замены\nс коммерческим директором"))


def _digits(rng: random.Random, count: int) -> list[int]:
    return [rng.randrange(10) for _ in range(count)]


def _check(digits: list[int], weights: tuple[int, ...]) -> int:
    return sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def make_inn(rng: random.Random, person: bool) -> str:
    """A random INN with valid check digits: 12 digits for a person, 10 for an organisation."""
    region = [rng.randrange(1, 10), rng.randrange(10)]
    if not person:
        digits = region + _digits(rng, 7)
        digits.append(_check(digits, (2, 4, 10, 3, 5, 9, 4, 6, 8)))
        return "".join(map(str, digits))
    digits = region + _digits(rng, 8)
    digits.append(_check(digits, (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)))
    digits.append(_check(digits, (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)))
    return "".join(map(str, digits))


def make_ogrn(rng: random.Random, person: bool) -> str:
    """A random OGRN (13 digits) or OGRNIP (15 digits) with a valid check digit."""
    if person:
        while True:  # the check digit is the remainder mod 13, which must be one digit
            body = "3" + "".join(map(str, _digits(rng, 13)))
            if int(body) % 13 < 10:
                return body + str(int(body) % 13)
    body = rng.choice("15") + "".join(map(str, _digits(rng, 11)))
    return body + str(int(body) % 11 % 10)


def make_phone(rng: random.Random, area: str) -> str:
    """A phone number in one of the forms people write (import normalises it)."""
    code = area if rng.random() < 0.6 else rng.choice(MOBILE)
    number = f"{rng.randrange(200, 1000)}{rng.randrange(10000):04d}"
    style = rng.randrange(3)
    if style == 0:
        return f"+7 {code} {number[:3]}-{number[3:5]}-{number[5:]}"
    if style == 1:
        return f"8 ({code}) {number[:3]}-{number[3:5]}-{number[5:]}"
    return f"+7{code}{number}"


def person_name(rng: random.Random) -> str:
    first = rng.choice(FIRST_NAMES)
    last = rng.choice(LAST_NAMES)
    patronymic = rng.choice(PATRONYMICS)
    if first[-1] == "а" or first in ("Мария", "Ольга"):
        return f"{last}а {first} {patronymic}на"
    return f"{last} {first} {patronymic}ич"
