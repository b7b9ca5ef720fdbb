"""The offline registry file provider: JSON Lines or CSV of legal entities."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from crm_tui.autofill.base import AutofillError, LegalEntity
from crm_tui.i18n import _

FIELDS = ("inn", "kpp", "ogrn", "short_name", "full_name", "legal_address", "phone")


def _entity(record: dict[str, Any]) -> LegalEntity:
    return LegalEntity(**{name: str(record.get(name) or "").strip() for name in FIELDS})


class RegistryFileProvider:
    """Reads the file on every lookup (files are small; edits show up at once)."""

    name = "offline"

    def __init__(self, path: Path) -> None:
        self.path = path

    def _records(self) -> list[dict[str, Any]]:
        try:
            with self.path.open(encoding="utf-8", newline="") as handle:
                if self.path.suffix.lower() == ".csv":
                    return list(csv.DictReader(handle))
                return [json.loads(line) for line in handle if line.strip()]
        except OSError as error:
            raise AutofillError(_("cannot read the registry file {path}: {error}").format(
                path=self.path, error=error.strerror or error), "config") from error
        except (ValueError, csv.Error) as error:
            raise AutofillError(_("the registry file {path} is damaged: {error}").format(
                path=self.path, error=error), "bad_response") from error

    def find_by_inn(self, inn: str, kpp: str = "") -> LegalEntity:
        found = [r for r in self._records() if isinstance(r, dict)
                 and str(r.get("inn", "")).strip() == inn.strip()]
        if kpp.strip():
            found = [r for r in found if str(r.get("kpp", "")).strip() == kpp.strip()] or found
        if not found:
            raise AutofillError(_("INN {inn} was not found").format(inn=inn), "not_found")
        return _entity(found[0])
