"""Reading one JSON object's fields with type checks, collecting every problem.

`Fields` wraps one object (a record or a nested object) and its line number; each reader
method returns the converted value, or None after recording a problem (or when an optional
field is absent). Messages name the field, prefixed with its path for nested objects.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import phonenumbers

from crm_tui.domain.errors import ValidationError
from crm_tui.domain.money import parse_exchange_money
from crm_tui.domain.text import check_text
from crm_tui.exchange.fields import ALLOWED, REQUIRED
from crm_tui.i18n import _

# ASCII digits only: \d alone also matches Arabic-Indic or full-width digits.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?", re.ASCII)
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
# Anything that could hold a control character once decoded: a raw control or an escape.
SUSPICIOUS = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")
# The long texts, where a line feed is allowed.
MULTILINE = frozenset(("comment", "description", "resolution", "text", "notes"))
# The longest text a field may hold, in characters: a long text about 500 pages, any other
# (a name, an address, a code) far beyond real data. An attachment's content is bounded by
# the line length (importer.MAX_LINE_BYTES) instead.
MAX_TEXT = 65_536
MAX_LONG_TEXT = 1_048_576
_UNBOUNDED = frozenset(("content_base64",))
# The everyday Russian forms (+7 or 8, then ten digits with spaces, dashes, brackets):
# normalised without phonenumbers' general parser, with the same result (import speed).
_RUSSIAN_PHONE = re.compile(r"(?:\+7|8)[ ()-]*(\d[ ()-]*){10}")
_PHONE_PUNCTUATION = str.maketrans("", "", " ()-")


class Fields:
    """One object's fields being read; problems go to the shared `problems` list."""

    __slots__ = ("controls", "line", "obj", "prefix", "problems")

    def __init__(self, obj: dict[str, Any], line: int, problems: list[tuple[int, str]],
                 controls: bool = True, prefix: str = "") -> None:
        self.obj = obj
        self.line = line
        self.problems = problems
        self.controls = controls
        self.prefix = prefix

    # -- problems ---------------------------------------------------------------------------
    def problem(self, message: str) -> None:
        """Record a problem on this object's line."""
        self.problems.append((self.line, message))

    def field_problem(self, name: str, message: str) -> None:
        """Record a problem about field `name` (with its path)."""
        self.problem(f"{self.prefix}{name}: {message}")

    def check_shape(self, kind: str) -> None:
        """Unknown fields and missing required fields of an object of `kind`."""
        obj = self.obj
        allowed = ALLOWED[kind]
        if not obj.keys() <= allowed:  # compared without building the difference
            for name in sorted(obj.keys() - allowed):
                self.problem(_("unknown field: {field}").format(field=self.prefix + name))
        get = obj.get
        for name in REQUIRED[kind]:
            if get(name) is None:
                self.problem(_("missing required field: {field}").format(field=self.prefix + name))

    def sub(self, value: Any, path: str, kind: str) -> Fields | None:
        """A nested object at `path` (for example `tasks[2]`) checked for its shape."""
        if not isinstance(value, dict):
            self.problem(_("{field}: must be an object").format(field=self.prefix + path))
            return None
        nested = Fields(value, self.line, self.problems, self.controls, f"{self.prefix}{path}.")
        nested.check_shape(kind)
        return nested

    # -- scalars ----------------------------------------------------------------------------
    def text(self, name: str, nonempty: bool = False) -> str | None:
        """A string field; control characters refused (line feed only in long texts)."""
        value = self.obj.get(name)
        if value is None:
            return None
        if type(value) is not str:
            self.field_problem(name, _("must be a string"))
            return None
        # The common case without a call: nothing to check for control characters, well
        # within every length limit (MAX_TEXT is the smallest), not blank where required.
        if not self.controls and len(value) <= MAX_TEXT and (not nonempty or value.strip()):
            return value
        return self.check_string(name, value, nonempty)

    def check_string(self, name: str, value: str, nonempty: bool = False) -> str | None:
        """Check an already-extracted string value."""
        limit = MAX_LONG_TEXT if name in MULTILINE else MAX_TEXT
        if len(value) > limit and name not in _UNBOUNDED:
            self.field_problem(name, _("{length} characters long; at most {limit} are allowed")
                               .format(length=len(value), limit=limit))
            return None
        if self.controls:
            try:
                check_text(value, self.prefix + name, multiline=name in MULTILINE)
            except ValidationError as error:
                self.problem(str(error))
                return None
        if nonempty and not value.strip():
            self.field_problem(name, _("must not be empty"))
            return None
        return value

    def integer(self, name: str, minimum: int | None = None) -> int | None:
        """An integer field (a JSON number without fraction; not a boolean)."""
        value = self.obj.get(name)
        if value is None:
            return None
        if type(value) is not int:
            self.field_problem(name, _("must be an integer"))
            return None
        if minimum is not None and value < minimum:
            self.field_problem(name, _("must be at least {minimum}").format(minimum=minimum))
            return None
        if abs(value) > 2**62:
            self.field_problem(name, _("number is too large"))
            return None
        return value

    def boolean(self, name: str) -> bool | None:
        value = self.obj.get(name)
        if value is None:
            return None
        if type(value) is not bool:
            self.field_problem(name, _("must be true or false"))
            return None
        return value

    def choice(self, name: str, allowed: frozenset[str]) -> str | None:
        """A string that must be one of `allowed`."""
        value = self.obj.get(name)
        if value is None:
            return None
        if type(value) is not str or value not in allowed:
            self.field_problem(name, _("must be one of {values}").format(
                values=", ".join(sorted(allowed))))
            return None
        return value

    def day(self, name: str) -> date | None:
        """A date `YYYY-MM-DD` that exists."""
        value = self.obj.get(name)
        if value is None:
            return None
        if type(value) is not str or not _DATE.fullmatch(value):
            self.field_problem(name, _("must be a date YYYY-MM-DD"))
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.field_problem(name, _("no such date: {value}").format(value=value))
            return None

    def timestamp(self, name: str) -> datetime | None:
        """A timestamp `YYYY-MM-DDTHH:MM[:SS]` that exists."""
        value = self.obj.get(name)
        if value is None:
            return None
        if type(value) is str and _TIMESTAMP.fullmatch(value):  # the common case, one call
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                pass  # parse_timestamp words it
        return self.parse_timestamp(name, value)

    def parse_timestamp(self, name: str, value: Any) -> datetime | None:
        if type(value) is not str or not _TIMESTAMP.fullmatch(value):
            self.field_problem(
                name, _("must be a timestamp YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS"))
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            self.field_problem(name, _("no such date or time: {value}").format(value=value))
            return None

    def money(self, name: str) -> Decimal | None:
        """Money as a string with at most 2 fraction digits."""
        value = self.obj.get(name)
        if value is None:
            return None
        try:
            return parse_exchange_money(value)
        except ValidationError as error:
            self.field_problem(name, str(error))
            return None

    def phone(self, name: str, value: Any) -> str | None:
        """A phone number normalised to E.164 (Russian or international forms accepted)."""
        if type(value) is not str:
            self.field_problem(name, _("must be a string"))
            return None
        if self.check_string(name, value) is None:
            return None
        normalised = normalise_phone(value)
        if normalised is None:
            self.field_problem(name, _("not a phone number: {value}").format(value=value))
        return normalised

    def email(self, name: str, value: Any) -> str | None:
        """An e-mail address (basic form check)."""
        if type(value) is not str:
            self.field_problem(name, _("must be a string"))
            return None
        if self.check_string(name, value) is None:
            return None
        if not _EMAIL.fullmatch(value):
            self.field_problem(name, _("not an e-mail address: {value}").format(value=value))
            return None
        return value

    # -- lists ------------------------------------------------------------------------------
    def items(self, name: str) -> list[Any] | None:
        """A list field (None when absent)."""
        value = self.obj.get(name)
        if value is None:
            return None
        if type(value) is not list:
            self.field_problem(name, _("must be a list"))
            return None
        return value

    def string_items(self, name: str, nonempty: bool = False) -> list[str] | None:
        """A list of strings; None if absent or broken."""
        values = self.items(name)
        if values is None:
            return None
        if nonempty and not values:
            self.field_problem(name, _("must not be empty"))
            return None
        result: list[str] = []
        ok = True
        for index, value in enumerate(values):
            path = f"{name}[{index + 1}]"
            if type(value) is not str:
                self.field_problem(path, _("must be a string"))
                ok = False
            elif self.check_string(path, value) is None:
                ok = False
            else:
                result.append(value)
        return result if ok else None


def normalise_phone(value: str) -> str | None:
    """`value` in E.164 (Russian or international forms accepted), or None if not a phone.

    The everyday Russian forms take a shortcut past the general parser (a tenth of the
    cost, the same answers: the test suite compares both on many numbers)."""
    if _RUSSIAN_PHONE.fullmatch(value):
        national = value.translate(_PHONE_PUNCTUATION)[-10:]
        # National numbers starting 0, 1 or 2 are left to the parser and its prefix rules
        # (8 10… is the international prefix, for one). One starting with 8 (8 812…, +7 812…)
        # is what the parser keeps too: stripping the trunk prefix 8 from ten digits leaves
        # nine, which no Russian number has, so the parser does not strip it.
        if national[0] in "3456789":
            number = phonenumbers.PhoneNumber(country_code=7, national_number=int(national))
            return "+7" + national if _valid_plus7(number) else None
    return _parse_phone(value)


def _valid_plus7(number: phonenumbers.PhoneNumber) -> bool:
    """phonenumbers.is_valid_number for a +7 number, at half the cost for a Russian one.

    is_valid_number first finds the number's region (Russia, tried first for +7, is chosen
    when the number is valid there), then checks the number again in that region; valid in
    Russia therefore means valid. Anything else (Kazakhstan, invalid) takes the full check."""
    return (phonenumbers.is_valid_number_for_region(number, "RU")
            or phonenumbers.is_valid_number(number))


def _parse_phone(value: str) -> str | None:
    """`value` through phonenumbers' general parser (region RU), in E.164 or None."""
    try:
        number = phonenumbers.parse(value, "RU")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
