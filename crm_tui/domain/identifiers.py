"""Russian company identifiers: INN, KPP, OGRN (check digits by python-stdnum)."""

from __future__ import annotations

import re

from stdnum import exceptions as stdnum_exceptions
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from crm_tui.domain.errors import ValidationError
from crm_tui.i18n import _

_KPP = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")


def validate_inn(value: str) -> str:
    """Return the INN if it is 10 (organisation) or 12 (person) digits with valid check digits."""
    text = value.strip()
    if not text.isdigit() or len(text) not in (10, 12):
        raise ValidationError(_("INN must be 10 or 12 digits"), field="inn")
    try:
        stdnum_inn.validate(text)
    except stdnum_exceptions.InvalidChecksum as error:
        raise ValidationError(_("INN check digit is wrong"), field="inn") from error
    except stdnum_exceptions.ValidationError as error:
        raise ValidationError(_("INN is not valid"), field="inn") from error
    return text


def inn_is_organisation(inn: str) -> bool:
    """A 10-digit INN belongs to an organisation, a 12-digit one to a person or sole trader."""
    return len(inn) == 10


def validate_kpp(value: str) -> str:
    """Return the KPP if it has the 9-character form: 4 digits, 2 digits or letters, 3 digits."""
    text = value.strip().upper()
    if not _KPP.match(text):
        raise ValidationError(
            _("KPP must be 9 characters: 4 digits, 2 digits or letters, 3 digits"), field="kpp")
    return text


def validate_ogrn(value: str) -> str:
    """Return the OGRN (13 digits) or OGRNIP (15 digits) if its check digit is valid."""
    text = value.strip()
    if not text.isdigit() or len(text) not in (13, 15):
        raise ValidationError(_("OGRN must be 13 or 15 digits"), field="ogrn")
    try:
        stdnum_ogrn.validate(text)
    except stdnum_exceptions.ValidationError as error:
        raise ValidationError(_("OGRN check digit is wrong"), field="ogrn") from error
    return text
