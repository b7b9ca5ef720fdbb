"""DaData's find-party-by-INN API (suggestions.dadata.ru) over HTTPS with httpx."""

from __future__ import annotations

from typing import Any

import httpx

from crm_tui.autofill.base import AutofillError, LegalEntity
from crm_tui.credentials import Secret
from crm_tui.i18n import _

API_URL = "https://suggestions.dadata.ru/suggestions/api/4_1/rs/findById/party"
TIMEOUT_S = 5.0


def _entity(data: dict[str, Any]) -> LegalEntity:
    name = data.get("name") or {}
    address = data.get("address") or {}
    phones = data.get("phones") or []
    phone = ""
    if phones and isinstance(phones[0], dict):
        phone = str(phones[0].get("value") or "")
    return LegalEntity(
        inn=str(data.get("inn") or ""), kpp=str(data.get("kpp") or ""),
        ogrn=str(data.get("ogrn") or ""),
        short_name=str(name.get("short_with_opf") or name.get("short") or ""),
        full_name=str(name.get("full_with_opf") or name.get("full") or ""),
        legal_address=str(address.get("value") or ""), phone=phone,
    )


class DadataProvider:
    """Looks the INN up at DaData; every failure becomes an AutofillError with a reason."""

    name = "dadata"

    def __init__(self, token: Secret | str, url: str = API_URL,
                 timeout: float = TIMEOUT_S) -> None:
        # Kept as a Secret: never shown by a repr or a traceback's locals.
        self.token = Secret((token.reveal() if isinstance(token, Secret) else token).strip())
        self.url = url
        self.timeout = timeout

    def find_by_inn(self, inn: str, kpp: str = "") -> LegalEntity:
        if not self.token:
            raise AutofillError(_("the DaData API key is not set (your DaData token in "
                                  "Settings, or CRM_DADATA_TOKEN)"), "config")
        body: dict[str, Any] = {"query": inn, "count": 1}
        if kpp.strip():
            body["kpp"] = kpp.strip()
        headers = {"Authorization": "Token " + self.token.reveal(),
                   "Accept": "application/json"}
        # `from None`: httpx's frames hold the headers (the token) in their locals.
        try:
            response = httpx.post(self.url, json=body, timeout=self.timeout, headers=headers)
        except httpx.TimeoutException:
            raise AutofillError(_("DaData did not answer in time; check the network"),
                                "network") from None
        except httpx.HTTPError:
            raise AutofillError(_("cannot reach DaData: no network connection"),
                                "network") from None
        finally:
            del headers
        if response.status_code in (401, 403):
            raise AutofillError(_("DaData refused the API key (check your DaData token in "
                                  "Settings)"), "auth")
        if response.status_code == 429:
            raise AutofillError(_("the DaData request quota is used up; try later"), "quota")
        if response.status_code != 200:
            raise AutofillError(_("DaData answered with an error: HTTP {code}").format(
                code=response.status_code), "bad_response")
        try:
            suggestions = response.json().get("suggestions") or []
            data = suggestions[0]["data"] if suggestions else None
        except (ValueError, AttributeError, KeyError, TypeError, IndexError) as error:
            raise AutofillError(_("DaData sent a response that cannot be read"),
                                "bad_response") from error
        if not data:
            raise AutofillError(_("INN {inn} was not found").format(inn=inn), "not_found")
        return _entity(data)
