"""Partner search on PostgreSQL: a union of index-backed id lookups (migration 0004).

The query mirrors SQLite's FTS5 semantics: every typed token must match the start of a word
somewhere in the partner's document (its name, its legal entities' INN/KPP/names, its
contacts' names and e-mails), case-insensitively with ё folded to е; input that looks like
a phone number is collapsed to its digits and matched as a prefix of a phone number (with or
without the +7 country code, a leading trunk 8 also tried without it), of an INN or of a
word. Each token becomes a UNION of lookups, one per table, each answered by a GIN trigram
index on the very expression compared (`LIKE '% token%'` against a folded text that starts
with a space); tokens are INTERSECTed; the partner list then filters partners by those ids.
"""

from __future__ import annotations

import re
from typing import Any


def fold_sql(expression: str) -> str:
    """SQL folding text like `fold_token`: lower case, ё→е, non-alphanumerics one space, and
    a leading space, so `LIKE '% word%'` matches the start of a word."""
    return (f"(' ' || translate(regexp_replace(lower({expression}), '[^[:alnum:]]+', ' ', 'g'),"
            f" 'ё', 'е'))")


# The indexed expressions of migration 0004_partners_pg (a unit test keeps them equal).
PARTNER_TEXT = fold_sql("name")
COUNTERPARTY_TEXT = fold_sql(
    "inn || ' ' || coalesce(kpp, '') || ' ' || short_name || ' ' || full_name")
COUNTERPARTY_PHONE = "('\"' || regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'))"
CONTACT_TEXT = fold_sql("name || ' ' || emails")
CONTACT_PHONE = "regexp_replace(phones, '[^0-9\"]', '', 'g')"
# Since migration 0017 each of them is also a stored generated column, indexed instead of
# the expression: the index finds candidates, and PostgreSQL rechecks every candidate row
# against the compared value; recomputing regexp_replace there cost ~25 µs a row (0.9 s
# for a one-letter search of 20k partners' documents), reading the stored text next to
# nothing.
COLUMNS = {PARTNER_TEXT: "search_text", COUNTERPARTY_TEXT: "search_text",
           COUNTERPARTY_PHONE: "search_phone", CONTACT_TEXT: "search_text",
           CONTACT_PHONE: "search_phone"}
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_PHONE_LIKE = re.compile(r"^[\d\s()+\-.]+$")


def fold_token(token: str) -> str:
    """A typed token folded like the indexed text: lower case, ё→е, words joined by one space."""
    return _NON_WORD.sub(" ", token.lower().replace("ё", "е")).strip()


def _token_ids(index: int, word: str, digits: tuple[str, ...],
               params: dict[str, Any]) -> str:
    """SQL selecting the ids of partners whose document matches one token.

    `digits` (a search for digits alone) also match a phone's start (with or without +7),
    the start of its last seven digits, and any run of an INN's digits — as SQLite's
    marked words (migration 0014_keys); GIN trigram indexes answer LIKE and regex both."""
    params[f"w{index}"] = f"% {word}%"
    inn = ""
    if digits:
        params[f"i{index}"] = f"^ [0-9]*{word}"  # the INN is the text's first word
        inn = f" OR {COLUMNS[COUNTERPARTY_TEXT]} ~ :i{index}"
    phone_cp: list[str] = []
    phone_ct: list[str] = []
    for number, value in enumerate(digits):
        # (counterparty phone: '"' || digits; contact phones: '"digits"' each)
        patterns = [(f'%"{value}%', f'%"{value}%'), (f'%"7{value}%', f'%"7{value}%')]
        if len(value) <= 7:
            rest = "_" * (7 - len(value))
            patterns.append((f"%{value}{rest}", f'%{value}{rest}"%'))
        for variant, (counterparty, contact) in enumerate(patterns):
            name = f"d{index}_{number}_{variant}"
            params[name], params[name + "c"] = counterparty, contact
            phone_cp.append(f" OR {COLUMNS[COUNTERPARTY_PHONE]} LIKE :{name}")
            phone_ct.append(f" OR {COLUMNS[CONTACT_PHONE]} LIKE :{name}c")
    return (
        f"SELECT id FROM partner WHERE {COLUMNS[PARTNER_TEXT]} LIKE :w{index}"
        f" UNION SELECT pc.partner_id FROM partner_counterparty pc WHERE pc.counterparty_id IN"
        f" (SELECT id FROM counterparty WHERE {COLUMNS[COUNTERPARTY_TEXT]} LIKE :w{index}{inn}"
        f"{''.join(phone_cp)})"
        f" UNION SELECT partner_id FROM contact WHERE {COLUMNS[CONTACT_TEXT]} LIKE :w{index}"
        f"{''.join(phone_ct)}"
    )


def matching_ids(text_: str) -> tuple[str, dict[str, Any]] | None:
    """SQL selecting the ids of the partners matching `text_`, with its parameters; None when
    the input has nothing searchable (it can match nothing)."""
    value = text_.strip().lower().replace("ё", "е")
    if not value:
        return None
    params: dict[str, Any] = {}
    digits = re.sub(r"\D", "", value)
    if _PHONE_LIKE.match(value) and len(digits) >= 3:
        variants = [digits]
        if digits.startswith("8") and len(digits) >= 4:
            variants.append(digits[1:])
        parts = [f"({_token_ids(n, variant, (variant,), params)})"
                 for n, variant in enumerate(variants)]
        return " UNION ".join(parts), params
    words = [fold_token(token) for token in value.split()]
    words = [word for word in words if word]
    if not words:
        return None
    parts = [f"({_token_ids(n, word, (), params)})" for n, word in enumerate(words)]
    return " INTERSECT ".join(parts), params
