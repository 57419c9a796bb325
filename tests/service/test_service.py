"""The prover service over real HTTP: a uvicorn server on 127.0.0.1 started by the test
(two proving threads, a queue bound of 8) and httpx as the client."""
from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from engine.riskbook import RiskBook
from tests.conftest import ROOT, run_node_tool
from tests.service.conftest import BUNDLED, LiveServer, account_json
from zkmargin.api import verify
from zkmargin.service.app import create_app, field_of
from zkmargin.service.backend import LocalBackend
from zkmargin.service.metrics import parse_metrics

QUEUE_BOUND = 8


@pytest.fixture(scope="module")
def server(service_keys: Path, service_book: RiskBook, live_server_factory: Any) -> LiveServer:
    app = create_app(LocalBackend.load(service_keys, workers=2), service_book,
                     max_queue=QUEUE_BOUND, max_body=256 * 1024, keep_books=3)
    return live_server_factory(app)


@pytest.fixture(scope="module")
def client(server: LiveServer) -> httpx.Client:
    with server.client() as c:
        yield c


def _server_vk(server: LiveServer, shape: str) -> dict[str, Any]:
    return server.app.state.service.backend.meta.vks[shape]


def _shifted_snapshot(spot_factor: str) -> dict[str, Any]:
    snapshot = json.loads((ROOT / "engine" / "data" / "default.json").read_text())
    btc = next(u for u in snapshot["underlyings"] if u["symbol"] == "BTC")
    btc["spot"] = str(int(btc["spot"]) * int(spot_factor) // 100)
    return snapshot


@pytest.mark.interop
def test_prove_one_account_verifies_everywhere(server: LiveServer, client: httpx.Client,
                                               tmp_path: Path) -> None:
    response = client.post("/v1/prove", json={"account": account_json("covered_call"),
                                              "statement": "full"})
    assert response.status_code == 200, response.text
    result = response.json()
    health = client.get("/v1/health").json()
    assert result["shape"] in health["shapes"] and result["statement"] == "full"
    assert result["market_commitment"] == health["market_commitment"]
    assert result["public_named"]["market_commitment"] == result["market_commitment"]
    assert result["report"]["mm"] == result["public_named"]["mm"]
    vk = _server_vk(server, result["shape"])
    for name, obj in (("vk", vk), ("public", result["public"]), ("proof", result["proof"])):
        (tmp_path / f"{name}.json").write_text(json.dumps(obj))
    out = run_node_tool("snarkjs", "groth16", "verify", tmp_path / "vk.json",
                        tmp_path / "public.json", tmp_path / "proof.json")
    assert "OK" in out
    from verifier.onchain import verify_onchain

    # the key set's contract (verifyProof(uint8 shape, ...)) replayed on the EVM
    index = health["shapes"].index(result["shape"])
    assert verify_onchain(vk, result["public"], result["proof"], shape=index).accept
    body = {"shape": result["shape"], "proof": result["proof"], "public": result["public"]}
    assert client.post("/v1/verify", json=body).json() == {"valid": True}
    lowered = list(result["public"])
    lowered[3] = str(int(lowered[3]) - 1)
    assert client.post("/v1/verify", json=dict(body, public=lowered)).json() == {"valid": False}


def test_batch_with_one_bad_account(server: LiveServer, client: httpx.Client) -> None:
    bad = dict(account_json("short_puts"),
               positions=[{"instrument": "BTC-NOSUCH-C", "qty": "1"}])
    accounts = [account_json("pair_trade"), bad, account_json("liquidatable")]
    response = client.post("/v1/prove-batch", json={"accounts": accounts})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert len(results) == 3
    assert results[1] == {"index": 1, "error": "accounts[1].positions[0].instrument: unknown "
                                               "instrument 'BTC-NOSUCH-C'"}
    for i in (0, 2):
        entry = results[i]
        assert verify(_server_vk(server, entry["shape"]), entry["public"], entry["proof"])
    assert results[2]["report"]["status"] == "liquidatable"


@pytest.mark.slow
def test_book_update_between_requests(server: LiveServer, client: httpx.Client) -> None:
    first = client.get("/v1/riskbook").json()["market_commitment"]
    # A proof admitted before an update finishes on its own book.
    box: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: box.update(r=client.post(
        "/v1/prove", json={"account": account_json("straddle_hedged")})))
    thread.start()
    deadline = time.monotonic() + 60
    while client.get("/v1/health").json()["queue"]["running"] == 0:
        assert time.monotonic() < deadline and thread.is_alive()
        time.sleep(0.02)
    update = client.post("/v1/riskbook", json={"snapshot": _shifted_snapshot("103")})
    assert update.status_code == 200, update.text
    second = update.json()["market_commitment"]
    assert second != first and update.json()["kept"][:2] == [second, first]
    thread.join(120)
    assert box["r"].status_code == 200, box["r"].text
    assert box["r"].json()["market_commitment"] == first
    after = client.post("/v1/prove", json={"account": account_json("straddle_hedged")}).json()
    named = client.post("/v1/prove", json={"account": account_json("straddle_hedged"),
                                           "market_commitment": first}).json()
    assert after["market_commitment"] == after["public_named"]["market_commitment"] == second
    assert named["market_commitment"] == named["public_named"]["market_commitment"] == first
    assert after["report"]["equity"] != named["report"]["equity"]
    for r in (after, named, box["r"].json()):
        assert verify(_server_vk(server, r["shape"]), r["public"], r["proof"])
    # back to the bundled book for the other tests
    book = RiskBook.from_snapshot("default").to_json()
    assert client.post("/v1/riskbook", json={"book": book}).json()["market_commitment"] == first


BAD_REQUESTS = [
    ("/v1/prove", {"account": {"cash": "1e5", "positions": []}}, 422, "account.cash"),
    ("/v1/prove", {"account": {"cash": "1", "positions": [{"qty": "1"}]}}, 422,
     "account.positions[0].instrument"),
    ("/v1/prove", {"account": {"cash": "1", "positions": [], "extra": 1}}, 422,
     "account.extra"),
    ("/v1/prove", {"acount": {}}, 422, "account"),
    ("/v1/prove", {"account": {"cash": "1", "positions": []}}, 400, "account.salt"),
    ("/v1/prove", {"account": dict(account_json("covered_call"), salt="9" * 78)}, 400,
     "account.salt"),
    ("/v1/prove", {"account": dict(account_json("covered_call"), cash="1" * 40)}, 400,
     "account.cash"),
    ("/v1/prove", {"account": account_json("covered_call"), "statement": "health"}, 400,
     "statement"),
    ("/v1/prove", {"account": account_json("covered_call"), "market_commitment": "5"}, 400,
     "market_commitment"),
    ("/v1/prove", {"account": {"cash": "0", "salt": "1", "positions": [
        {"instrument": s, "qty": "1"} for s in ("BTC-PERP", "ETH-PERP", "SOL-PERP", "BTC-PERP",
                                                "ETH-PERP")]}}, 400, None),
    ("/v1/prove-batch", {"accounts": []}, 422, "accounts"),
    ("/v1/prove-batch", {"accounts": [account_json("covered_call")] * (QUEUE_BOUND + 1)}, 422,
     "accounts"),
    ("/v1/verify", {"shape": "n99k9", "proof": {"pi_a": ["1", "2", "1"],
                                                "pi_b": [["1", "2"]] * 3,
                                                "pi_c": ["1", "2", "1"]}, "public": []}, 400,
     "shape"),
    ("/v1/verify", {"shape": "n4k2", "proof": {"pi_a": ["1"]}, "public": []}, 422,
     "proof.pi_a"),
    ("/v1/riskbook", {}, 422, "body"),
    ("/v1/riskbook", {"snapshot": {"version": "zkm-snapshot-1"}}, 400, "snapshot.time"),
    ("/v1/riskbook", {"book": {"version": "zkm-0"}}, 400, None),
]


@pytest.mark.parametrize("path,body,status,field", BAD_REQUESTS)
def test_bad_input_is_a_4xx_naming_the_field(client: httpx.Client, path: str, body: Any,
                                             status: int, field: str | None) -> None:
    response = client.post(path, json=body)
    assert response.status_code == status, response.text
    answer = response.json()
    assert set(answer) == {"error", "field"} and "\n" not in answer["error"]
    if field is not None:
        assert answer["field"] == field, answer
        assert answer["error"].startswith(field)
    assert client.get("/v1/health").status_code == 200


def test_body_limits_and_malformed_json(client: httpx.Client) -> None:
    big = client.post("/v1/prove", content=b"{" + b" " * (300 * 1024) + b"}",
                      headers={"content-type": "application/json"})
    assert big.status_code == 413 and big.json()["field"] == "body"

    def chunks() -> Any:
        for _ in range(300):
            yield b" " * 1024

    streamed = client.post("/v1/prove", content=chunks(),
                           headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    broken = client.post("/v1/prove", content=b'{"account": ',
                         headers={"content-type": "application/json"})
    assert broken.status_code == 422 and broken.json()["field"] == "body"
    assert client.post("/v1/prove", content=b"\xff\xfe",
                       headers={"content-type": "application/json"}).status_code == 422
    assert client.get("/v1/nowhere").status_code == 404
    assert client.get("/v1/health").json()["status"] == "ok"


def test_field_of_reads_the_leading_path() -> None:
    assert field_of("account: positions[0].qty: not a decimal number: 'x'") == \
        "account.positions[0].qty"
    assert field_of("statement: this server proves 'full'") == "statement"
    assert field_of("no field here") is None


@pytest.mark.slow
def test_bounded_load_every_request_gets_a_proof_or_429(server: LiveServer,
                                                        client: httpx.Client) -> None:
    before = parse_metrics(client.get("/v1/metrics").text)
    names = [BUNDLED[i % len(BUNDLED)] for i in range(30)]
    barrier = threading.Barrier(len(names))

    def one(name: str) -> httpx.Response:
        with httpx.Client(base_url=server.url, timeout=240) as c:
            barrier.wait(timeout=30)
            return c.post("/v1/prove", json={"account": account_json(name)})

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        responses = list(pool.map(one, names, timeout=300))
    assert time.monotonic() - started < 300
    assert len(responses) == 30
    codes = [r.status_code for r in responses]
    assert set(codes) <= {200, 429}, codes
    ok = [r.json() for r in responses if r.status_code == 200]
    refused = [r for r in responses if r.status_code == 429]
    assert ok and refused
    assert len(ok) <= 30 - len(refused)
    for r in refused:
        assert int(r.headers["Retry-After"]) >= 1 and "queue" in r.json()["error"]
    for result in ok:
        assert verify(_server_vk(server, result["shape"]), result["public"], result["proof"])
    after = parse_metrics(client.get("/v1/metrics").text)
    assert after["zkmargin_proofs_total"] - before["zkmargin_proofs_total"] == len(ok)
    assert after["zkmargin_rejected_total"] - before["zkmargin_rejected_total"] == len(refused)
    assert after["zkmargin_queue_length"] == 0 and after["zkmargin_queue_bound"] == QUEUE_BOUND
    assert after['zkmargin_proof_latency_seconds{quantile="0.99"}'] >= \
        after['zkmargin_proof_latency_seconds{quantile="0.5"}'] > 0


def test_metrics_and_schema(client: httpx.Client) -> None:
    response = client.get("/v1/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    samples = parse_metrics(response.text)
    for name in ("zkmargin_proofs_total", "zkmargin_proof_failures_total",
                 "zkmargin_queue_length", 'zkmargin_proof_latency_seconds{quantile="0.9"}',
                 "zkmargin_proof_latency_seconds_count", "zkmargin_workers"):
        assert name in samples
    schema = client.get("/openapi.json").json()
    assert {"/v1/prove", "/v1/prove-batch", "/v1/verify", "/v1/riskbook", "/v1/health",
            "/v1/metrics"} <= set(schema["paths"])
    assert "429" in schema["paths"]["/v1/prove"]["post"]["responses"]
    docs = (ROOT / "docs" / "service.md").read_text()
    for path, operations in schema["paths"].items():
        for method in operations:
            assert f"`{method.upper()} {path}`" in docs, (method, path)
    for model in ("ProveRequest", "ProveResult", "BatchRequest", "VerifyRequest",
                  "RiskBookRequest", "HealthResponse"):
        assert f"**`{model}`**" in docs
    for name in samples:
        assert name.split("{")[0].removesuffix("_sum").removesuffix("_count") in docs, name
