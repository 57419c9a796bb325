"""Request bodies follow the JSON rules of every other input (zkbase.jsonio): a
duplicate key, deep nesting or a huge integer is a 400 naming the field, never a 500."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from engine.riskbook import RiskBook
from zkmargin.service.app import create_app
from zkmargin.service.backend import LocalBackend


@pytest.fixture(scope="module")
def client(service_keys: Path, service_book: RiskBook, live_server_factory: Any
           ) -> httpx.Client:
    app = create_app(LocalBackend.load(service_keys, workers=1), service_book,
                     max_body=1 << 20)
    with live_server_factory(app).client() as c:
        yield c


@pytest.mark.slow
def test_strict_json_bodies(client: httpx.Client) -> None:
    headers = {"content-type": "application/json"}
    dup = ('{"account": {"cash": "1", "cash": "1000000", "positions": [], "salt": "1"}, '
           '"statement": "full"}')
    r = client.post("/v1/prove", content=dup, headers=headers)
    assert r.status_code == 400 and r.json()["field"] == "account.cash", r.text
    assert "duplicate key" in r.json()["error"]
    r = client.post("/v1/prove", content="[" * 100_000, headers=headers)
    assert r.status_code == 400 and "nested too deeply" in r.json()["error"], r.text
    r = client.post("/v1/verify", content='{"public": [' + "1" * 5000 + "]}", headers=headers)
    assert r.status_code == 400 and "5000 digits" in r.json()["error"], r.text
    r = client.post("/v1/prove", content="{not json", headers=headers)
    assert r.status_code in (400, 422), r.text
