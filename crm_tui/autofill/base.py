"""What an autofill provider gives back, and how it fails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class AutofillError(Exception):
    """The lookup failed; `str(error)` is a translated message for the user.

    `reason` is one of: network, auth, quota, not_found, config, bad_response."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class LegalEntity:
    """The details of one legal entity or sole trader found by INN."""

    inn: str
    kpp: str = ""
    ogrn: str = ""
    short_name: str = ""
    full_name: str = ""
    legal_address: str = ""
    phone: str = ""


class Provider(Protocol):
    """Looks up a legal entity by INN (and KPP, to choose among branches)."""

    name: str

    def find_by_inn(self, inn: str, kpp: str = "") -> LegalEntity:
        """The entity, or AutofillError (reason not_found when there is none)."""
        ...
