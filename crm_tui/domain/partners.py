"""Partners: what the partner wizard, the card and the contact form submit, and the checks
that input must pass before anything is stored (INN/KPP/OGRN, phones in E.164, e-mails)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers

from crm_tui.domain.enums import roles_to_mask
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.identifiers import validate_inn, validate_kpp, validate_ogrn
from crm_tui.domain.text import check_text
from crm_tui.i18n import _

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


@dataclass(frozen=True)
class CounterpartyInput:
    inn: str
    kpp: str = ""
    ogrn: str = ""
    short_name: str = ""
    full_name: str = ""
    legal_address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ContactInput:
    name: str
    position: str = ""
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartnerInput:
    name: str
    region_id: int | None = None
    roles: tuple[str, ...] = ("client",)
    manager_id: int | None = None
    comment: str = ""
    new_counterparty: CounterpartyInput | None = None
    link_counterparty_keys: tuple[str, ...] = ()
    contacts: tuple[ContactInput, ...] = field(default_factory=tuple)
    key: str | None = None  # a free key from a file (import-csv); None: the next one




def normalise_phone(value: str) -> str:
    """A phone number in E.164 (Russian and international forms accepted)."""
    check_text(value, _("Phone"))
    try:
        number = phonenumbers.parse(value.strip(), "RU")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("not a phone number: {value}").format(value=value), field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_email(value: str) -> str:
    """An e-mail address (basic form check), trimmed."""
    text_ = check_text(value.strip(), _("E-mail"))
    if not _EMAIL.fullmatch(text_):
        raise ValidationError(
            _("not an e-mail address: {value}").format(value=value), field="email"
        )
    return text_


def required(value: str, label: str) -> str:
    value = check_text(value.strip(), label)
    if not value:
        raise ValidationError(_("{field}: must not be empty").format(field=label), field=label)
    return value


def validate_contact(data: ContactInput) -> ContactInput:
    """The contact with phones in E.164 and checked e-mails, or ValidationError."""
    return ContactInput(
        name=required(data.name, _("Name")),
        position=check_text(data.position.strip(), _("Position")),
        phones=tuple(normalise_phone(p) for p in data.phones if p.strip()),
        emails=tuple(validate_email(e) for e in data.emails if e.strip()),
    )


def validate_counterparty(data: CounterpartyInput) -> CounterpartyInput:
    """The legal entity with checked INN/KPP/OGRN; names default to each other."""
    inn = validate_inn(data.inn)
    kpp = validate_kpp(data.kpp) if data.kpp.strip() else ""
    ogrn = validate_ogrn(data.ogrn) if data.ogrn.strip() else ""
    short = check_text(data.short_name.strip(), _("Short name"))
    full = check_text(data.full_name.strip(), _("Full name"))
    if not short and not full:
        raise ValidationError(
            _("{field}: must not be empty").format(field=_("Short name")), field="short_name"
        )
    phone = normalise_phone(data.phone) if data.phone.strip() else ""
    return CounterpartyInput(
        inn=inn,
        kpp=kpp,
        ogrn=ogrn,
        short_name=short or full,
        full_name=full or short,
        legal_address=check_text(data.legal_address.strip(), _("Address")),
        phone=phone,
    )



def check_partner(data: PartnerInput) -> tuple[str, int, str]:
    """The partner's name, roles as a mask and comment, checked (ValidationError)."""
    name = required(data.name, _("Name"))
    if not data.roles:
        raise ValidationError(_("choose at least one role"), field="roles")
    comment = check_text(data.comment.strip(), _("Comment"), multiline=True)
    return name, roles_to_mask(list(data.roles)), comment
