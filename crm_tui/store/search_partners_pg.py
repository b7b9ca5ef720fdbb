"""Partner search on PostgreSQL: each partner's search document (migration 0019).

The query mirrors SQLite's FTS5 semantics: every typed token must match the start of a word
somewhere in the partner's document (its name, its legal entities' INN/KPP/names, its
contacts' names and e-mails), case-insensitively with ё folded to е; input that looks like
a phone number is collapsed to its digits and matched as a prefix of a phone number (with or
without the +7 country code, a leading trunk 8 also tried without it), of an INN or of a
word. Those texts, folded and stored per table (0004, 0017), are joined into one document
per partner (`partner.search_doc`, kept by triggers, 0019) with a GIN trigram index: each
token is `search_doc LIKE '% token%'`, tokens are ANDed, and the partner list reads its
page in name order, walking the name index for a frequent token and the trigram index for
a rare one, as the planner finds cheaper.
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


def _token_condition(index: int, word: str, digits: tuple[str, ...],
                     params: dict[str, Any]) -> str:
    """SQL testing one token against a partner's document (migration 0019's search_doc).

    `digits` (a search for digits alone) also match a phone's start (with or without +7),
    the start of its last seven digits, and any run of an INN's digits — as SQLite's
    marked words (migration 0014_keys); the GIN trigram index answers LIKE and regex both.
    In the document a phone's digits stand between quotes and an INN between "!"."""
    params[f"w{index}"] = f"% {word}%"
    tests = [f"p.search_doc LIKE :w{index}"]
    if digits:
        params[f"i{index}"] = f"![0-9]*{word}"
        tests.append(f"p.search_doc ~ :i{index}")
    for number, value in enumerate(digits):
        patterns = [f'%"{value}%', f'%"7{value}%']
        if len(value) <= 7:
            patterns.append(f'%{value}{"_" * (7 - len(value))}"%')
        for variant, pattern in enumerate(patterns):
            name = f"d{index}_{number}_{variant}"
            params[name] = pattern
            tests.append(f"p.search_doc LIKE :{name}")
    return "(" + " OR ".join(tests) + ")"


def matching_condition(text_: str) -> tuple[str, dict[str, Any]] | None:
    """An SQL condition on the partner row `p` true when it matches `text_`, with its
    parameters; None when the input has nothing searchable (it can match nothing).

    Every token must match somewhere in the partner's document: the document holds the
    partner's, its legal entities' and its contacts' texts, so the condition is the
    intersection of per-token unions over those tables that the search once built from
    their ids — and a page in name order can stop at its last row."""
    value = text_.strip().lower().replace("ё", "е")
    if not value:
        return None
    params: dict[str, Any] = {}
    digits = re.sub(r"\D", "", value)
    if _PHONE_LIKE.match(value) and len(digits) >= 3:
        variants = [digits]
        if digits.startswith("8") and len(digits) >= 4:
            variants.append(digits[1:])
        parts = [_token_condition(n, variant, (variant,), params)
                 for n, variant in enumerate(variants)]
        return "(" + " OR ".join(parts) + ")", params
    words = [fold_token(token) for token in value.split()]
    words = [word for word in words if word]
    if not words:
        return None
    parts = [_token_condition(n, word, (), params) for n, word in enumerate(words)]
    return "(" + " AND ".join(parts) + ")", params
