"""Which column of a spreadsheet is which field: the fields each import target has, the
usual Russian and English headers for them (1C's «Наименование», «ИНН», «Тел.»; Excel's
and other CRMs' "Partner", "Phone"), and finding the header row below a title line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from crm_tui.i18n import N_

TARGETS = ("partners", "contacts", "deals")


@dataclass(frozen=True)
class FieldSpec:
    """A field an import fills, its label (N_, translated where shown) and header synonyms."""

    name: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False


_MANAGER = ("менеджер", "ответственный", "основной менеджер", "ответственный менеджер",
            "manager", "owner", "responsible", "assigned to", "account manager")
_PHONE = ("телефон", "тел", "телефоны", "мобильный", "мобильный телефон", "моб", "phone",
          "telephone", "tel", "mobile", "phone number", "work phone")
_EMAIL = ("e-mail", "email", "эл почта", "электронная почта", "почта", "адрес эл почты",
          "адрес электронной почты", "mail", "email address")
_POSITION = ("должность", "position", "job title", "title")
_PARTNER = ("партнер", "контрагент", "клиент", "организация", "компания", "покупатель",
            "partner", "client", "customer", "account", "company", "organization",
            "organisation", "account name")
_INN = ("инн", "inn", "tax id", "taxpayer id", "инн контрагента", "инн партнера")

FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "partners": (
        FieldSpec("name", N_("Name"), ("наименование", "рабочее наименование", "название",
                                       "краткое наименование", "name", "short name",
                                       *_PARTNER), required=True),
        FieldSpec("full_name", N_("Full name"), ("полное наименование", "юридическое название",
                                                 "full name", "legal name")),
        FieldSpec("inn", N_("INN"), _INN),
        FieldSpec("kpp", N_("KPP"), ("кпп", "kpp")),
        FieldSpec("ogrn", N_("OGRN"), ("огрн", "огрнип", "ogrn")),
        FieldSpec("address", N_("Address"), ("адрес", "юридический адрес", "юр адрес",
                                             "address", "legal address")),
        FieldSpec("region", N_("Region"), ("регион", "бизнес-регион", "бизнес регион", "region")),
        FieldSpec("roles", N_("Roles"), ("роли", "роль", "roles", "role")),
        FieldSpec("manager", N_("Manager"), _MANAGER),
        FieldSpec("contact", N_("Contact person"), ("контактное лицо", "контакт", "фио",
                                                    "contact", "contact person",
                                                    "contact name")),
        FieldSpec("position", N_("Position"), _POSITION),
        FieldSpec("phone", N_("Phone"), _PHONE),
        FieldSpec("email", N_("E-mail"), _EMAIL),
        FieldSpec("comment", N_("Comment"), ("комментарий", "примечание", "описание",
                                             "comment", "note", "notes", "description")),
        # Our own key (crm export-csv writes it): the row is that partner, whatever else
        # shares its INN. A key this database does not know is left out.
        FieldSpec("key", N_("Record key"), ("key", "ключ")),
    ),
    "contacts": (
        FieldSpec("partner", N_("Partner"), _PARTNER, required=True),
        FieldSpec("inn", N_("INN"), _INN),
        FieldSpec("name", N_("Name"), ("фио", "контактное лицо", "имя", "контакт",
                                       "представитель", "name", "full name", "contact",
                                       "contact name", "contact person"), required=True),
        FieldSpec("position", N_("Position"), _POSITION),
        FieldSpec("phone", N_("Phone"), _PHONE),
        FieldSpec("email", N_("E-mail"), _EMAIL),
    ),
    "deals": (
        FieldSpec("name", N_("Name"), ("сделка", "наименование", "название", "тема",
                                       "наименование сделки", "deal", "name", "title",
                                       "subject", "deal name", "opportunity"), required=True),
        FieldSpec("partner", N_("Partner"), _PARTNER, required=True),
        FieldSpec("inn", N_("INN"), _INN),
        FieldSpec("kind", N_("Kind"), ("вид сделки", "вид", "тип сделки", "тип", "kind",
                                       "type", "deal type")),
        FieldSpec("stage", N_("Stage"), ("этап", "стадия", "этап сделки", "stage",
                                         "sales stage")),
        FieldSpec("amount", N_("Amount"), ("сумма", "сумма сделки", "бюджет",
                                           "планируемая сумма", "amount", "sum", "value",
                                           "budget", "expected revenue")),
        FieldSpec("manager", N_("Manager"), _MANAGER),
        FieldSpec("date", N_("Date"), ("дата", "дата начала", "дата создания", "начало",
                                       "date", "created", "start date", "created at")),
        FieldSpec("notes", N_("Notes"), ("комментарий", "примечание", "описание", "comment",
                                         "notes", "description")),
    ),
}

HEADER_SEARCH_ROWS = 20  # a 1C list has a title line or a few above its header


def field_names(target: str) -> tuple[str, ...]:
    return tuple(spec.name for spec in FIELDS[target])


def spec(target: str, name: str) -> FieldSpec:
    return next(s for s in FIELDS[target] if s.name == name)


def header_key(text: str) -> str:
    """A header as the synonyms are written: lower case, ё as е, no dots, stars or colons
    ("Тел.:" → "тел", "Контрагент*" → "контрагент")."""
    value = text.casefold().replace("ё", "е").replace("\u00a0", " ")
    value = re.sub(r"[.*:№#\"«»()]", " ", value)
    return " ".join(value.split())


def match_header(target: str, header: str) -> str | None:
    """The field a header names, by its name or a synonym; None when unknown."""
    key = header_key(header)
    for field in FIELDS[target]:
        if key == field.name or key in field.synonyms:
            return field.name
    return None


def auto_map(target: str, headers: Sequence[str]) -> list[str | None]:
    """A field (or None) for each column; a field goes to its first matching column."""
    taken: set[str] = set()
    result: list[str | None] = []
    for header in headers:
        field = match_header(target, header)
        if field is None or field in taken:
            result.append(None)
            continue
        taken.add(field)
        result.append(field)
    return result


def find_header(target: str, rows: Sequence[Sequence[str]]) -> int:
    """The index of the header row among the first rows: the one naming most known fields
    (a title line above it names none); with none known, the first row of two or more
    filled cells."""
    best, best_count = -1, 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        count = sum(1 for field in auto_map(target, row) if field)
        if count > best_count:
            best, best_count = index, count
    if best >= 0:
        return best
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for cell in row if cell.strip()) >= 2:
            return index
    return 0


def missing_required(target: str, mapping: Sequence[str | None]) -> list[str]:
    """Required fields no column is mapped to (contacts and deals need the partner by name
    or by INN)."""
    mapped = set(mapping)
    missing = [s.name for s in FIELDS[target] if s.required and s.name not in mapped]
    if target != "partners" and "partner" in missing and "inn" in mapped:
        missing.remove("partner")
    return missing
