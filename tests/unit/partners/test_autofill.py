"""Autofill providers: the offline registry file and DaData against a local HTTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from crm_tui.autofill import (
    SAMPLE_REGISTRY,
    AutofillError,
    DadataProvider,
    RegistryFileProvider,
    provider_from_settings,
)

# The shape DaData's findById/party answers with (trimmed recording).
SBER = {"suggestions": [{
    "value": "ПАО СБЕРБАНК", "unrestricted_value": "ПАО СБЕРБАНК",
    "data": {
        "kpp": "773601001", "inn": "7707083893", "ogrn": "1027700132195", "type": "LEGAL",
        "name": {"full_with_opf": "ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО \"СБЕРБАНК РОССИИ\"",
                 "short_with_opf": "ПАО СБЕРБАНК", "full": "СБЕРБАНК РОССИИ",
                 "short": "СБЕРБАНК"},
        "address": {"value": "г Москва, ул Вавилова, д 19", "unrestricted_value": "117312, ..."},
        "phones": [{"value": "+7 495 500-55-50"}], "emails": None,
        "state": {"status": "ACTIVE"},
    }}]}


class Handler(BaseHTTPRequestHandler):
    seen: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Handler.seen.append({"body": body, "auth": self.headers.get("Authorization")})
        token = (self.headers.get("Authorization") or "").removeprefix("Token ")
        status, payload = 200, {"suggestions": []}
        if token == "bad":
            status, payload = 403, {"family": "CLIENT_ERROR", "reason": "Forbidden"}
        elif token == "quota":
            status, payload = 429, {"family": "CLIENT_ERROR", "reason": "Too Many Requests"}
        elif token == "broken":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<html>not json")
            return
        elif body["query"] == "7707083893":
            payload = SBER
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/findById/party"
    server.shutdown()
    server.server_close()


def test_dadata_found(server_url: str) -> None:
    entity = DadataProvider("good", url=server_url).find_by_inn("7707083893")
    assert entity.short_name == "ПАО СБЕРБАНК"
    assert entity.full_name.startswith("ПУБЛИЧНОЕ")
    assert (entity.kpp, entity.ogrn, entity.phone) == ("773601001", "1027700132195",
                                                      "+7 495 500-55-50")
    assert entity.legal_address == "г Москва, ул Вавилова, д 19"
    assert Handler.seen[-1] == {"body": {"query": "7707083893", "count": 1},
                                "auth": "Token good"}


@pytest.mark.parametrize(("token", "inn", "reason", "words"), [
    ("good", "7736207543", "not_found", "not found"),
    ("bad", "7707083893", "auth", "API key"),
    ("quota", "7707083893", "quota", "quota"),
    ("broken", "7707083893", "bad_response", "cannot be read"),
    ("", "7707083893", "config", "not set"),
])
def test_dadata_failures(server_url: str, token: str, inn: str, reason: str, words: str) -> None:
    with pytest.raises(AutofillError) as caught:
        DadataProvider(token, url=server_url).find_by_inn(inn)
    assert caught.value.reason == reason
    assert words in str(caught.value)


def test_dadata_no_network() -> None:
    # Nothing listens on this port: a refused connection is "no network".
    with pytest.raises(AutofillError) as caught:
        DadataProvider("good", url="http://127.0.0.1:9/x", timeout=1).find_by_inn("7707083893")
    assert caught.value.reason == "network"


def test_registry_sample_and_csv(tmp_path: Path) -> None:
    entity = RegistryFileProvider(SAMPLE_REGISTRY).find_by_inn("7736207543")
    assert entity.short_name == "ООО Яндекс" and entity.kpp == "770401001"
    # A KPP that matches no branch still finds the entity by INN.
    assert RegistryFileProvider(SAMPLE_REGISTRY).find_by_inn("7814148471", "000000000").inn


def test_registry_csv_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "reg.csv"
    path.write_text("inn,kpp,short_name\n7707083893,773601001,Сбер\n", encoding="utf-8")
    assert RegistryFileProvider(path).find_by_inn("7707083893").short_name == "Сбер"
    with pytest.raises(AutofillError) as missing:
        RegistryFileProvider(tmp_path / "none.jsonl").find_by_inn("7707083893")
    assert missing.value.reason == "config"
    with pytest.raises(AutofillError) as not_found:
        RegistryFileProvider(path).find_by_inn("7736207543")
    assert not_found.value.reason == "not_found"


def test_provider_from_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from crm_tui import credentials

    credentials.save({"dadata_token": "own-token"})
    chosen = provider_from_settings({"autofill_provider": "dadata"})
    assert isinstance(chosen, DadataProvider) and chosen.token.reveal() == "own-token"
    assert "own-token" not in repr(chosen.token) + str(chosen.token)
    monkeypatch.setenv("CRM_DADATA_TOKEN", "env-token")  # the environment still wins
    chosen = provider_from_settings({"autofill_provider": "dadata", "dadata_token": "db"})
    assert isinstance(chosen, DadataProvider) and chosen.token.reveal() == "env-token"
    offline = provider_from_settings({"autofill_provider": "offline",
                                      "autofill_registry_path": ""})
    assert isinstance(offline, RegistryFileProvider) and offline.path == SAMPLE_REGISTRY
