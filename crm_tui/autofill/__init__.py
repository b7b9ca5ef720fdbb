"""Autofill of legal-entity details by INN: the provider interface and its implementations.

No textual here: providers are called from worker threads and raise AutofillError with a
message fit for the user.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crm_tui.autofill.base import AutofillError, LegalEntity, Provider
from crm_tui.autofill.dadata import DadataProvider
from crm_tui.autofill.registry import RegistryFileProvider

SAMPLE_REGISTRY = Path(__file__).resolve().parent.parent / "data" / "registry-sample.jsonl"

__all__ = ["SAMPLE_REGISTRY", "AutofillError", "DadataProvider", "LegalEntity", "Provider",
           "RegistryFileProvider", "provider_from_settings"]


def provider_from_settings(settings: dict[str, Any]) -> Provider:
    """The provider the settings choose: `autofill_provider` "dadata" (token from
    the user's own: CRM_DADATA_TOKEN, else their credentials) or the offline registry file
    at `autofill_registry_path` (default: the shipped sample)."""
    if settings.get("autofill_provider") == "dadata":
        from crm_tui import credentials

        return DadataProvider(credentials.secret("dadata_token"))
    path = str(settings.get("autofill_registry_path") or "") or str(SAMPLE_REGISTRY)
    return RegistryFileProvider(Path(path))
