"""Autofill of legal-entity details by INN: the provider interface and its implementations.

No textual here: providers are called from worker threads and raise AutofillError with a
message fit for the user.
"""

from __future__ import annotations

import os
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
    `dadata_token` or CRM_DADATA_TOKEN) or the offline registry file at
    `autofill_registry_path` (default: the shipped sample)."""
    if settings.get("autofill_provider") == "dadata":
        token = str(settings.get("dadata_token") or os.environ.get("CRM_DADATA_TOKEN", ""))
        return DadataProvider(token)
    path = str(settings.get("autofill_registry_path") or "") or str(SAMPLE_REGISTRY)
    return RegistryFileProvider(Path(path))
